"""What the studio's navigation shows on every studio page: how much waits on the desk."""

from django import template

from filmstrip.backlinks.models import Backlink
from filmstrip.comments.models import Comment

register = template.Library()


@register.simple_tag
def waiting() -> dict[str, int]:
    """Comments and links back awaiting the author, across essays."""
    comments = Comment.objects.pending().count()
    links = Backlink.objects.pending().count()
    return {"comments": comments, "links": links, "total": comments + links}
