"""{% comment_section story %}: the approved conversation and the reply form, as on the page."""

from django import template

from ..defence import HONEYPOT_FIELD
from ..threads import thread

register = template.Library()


@register.inclusion_tag("comments/_section.html")
def comment_section(story, preview=False):
    comments = list(story.comments.approved())
    return {
        "story": story,
        "count": len(comments),
        "nodes": thread(comments),
        "open": not preview and story.accepts_comments(),
        "closed": not preview and not story.accepts_comments(),
        "honeypot": HONEYPOT_FIELD,
    }
