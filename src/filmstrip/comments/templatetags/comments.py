"""{% comment_section story %}: the approved conversation and the reply form, as on the page."""

from django import template
from django.urls import reverse

from filmstrip.sitesettings.models import current

from ..defence import HONEYPOT_FIELD
from ..identity import sign_in_providers
from ..markup import thread_html
from ..threads import thread

register = template.Library()


@register.inclusion_tag("comments/_section.html")
def comment_section(story, preview=False):
    # Each comment's essay comes from the related manager: no join, and the same object.
    comments = list(story.comments.approved())
    is_open = not preview and story.accepts_comments()
    reply_url = reverse("comments:confirm", kwargs={"slug": story.slug}) if is_open else None
    return {
        "story": story,
        "count": len(comments),
        "thread": thread_html(thread(comments), reply_url) if comments else "",
        "open": is_open,
        "closed": not preview and not story.accepts_comments(),
        "honeypot": HONEYPOT_FIELD,
        # The same for every reader, so the page stays one cacheable file.
        "providers": sign_in_providers() if is_open else [],
        "require_signin": current().require_signin,
    }
