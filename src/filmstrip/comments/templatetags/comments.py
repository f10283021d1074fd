"""{% comment_section story %}: the approved conversation and the reply form, as on the page."""

from django import template

from filmstrip.conf import settings

from ..defence import HONEYPOT_FIELD
from ..identity import sign_in_providers
from ..threads import thread

register = template.Library()


@register.inclusion_tag("comments/_section.html")
def comment_section(story, preview=False):
    comments = list(story.comments.approved().select_related("story"))
    is_open = not preview and story.accepts_comments()
    return {
        "story": story,
        "count": len(comments),
        "nodes": thread(comments),
        "open": is_open,
        "closed": not preview and not story.accepts_comments(),
        "honeypot": HONEYPOT_FIELD,
        # The same for every reader, so the page stays one cacheable file.
        "providers": sign_in_providers() if is_open else [],
        "require_signin": settings.COMMENTS_REQUIRE_SIGNIN,
    }
