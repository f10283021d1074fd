"""{% backlink_section story %}: the approved pages that link to the essay, under it."""

from django import template

register = template.Library()


@register.inclusion_tag("backlinks/_section.html")
def backlink_section(story):
    # The same for every reader: only what the author approved and the source still links.
    return {"backlinks": list(story.backlinks.shown().order_by("created_at", "pk"))}
