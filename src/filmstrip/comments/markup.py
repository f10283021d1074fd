"""The approved comments under an essay as HTML: threaded lists, one item per comment.

Written in Python rather than a template: an essay page is rendered again on every approved
comment, and a template loop cost about 0.12 ms per comment (80% of the comment section).
Every value goes through ``escape``; ``body_html`` was sanitised when the comment was saved.
"""

from django.utils import dateformat, timezone
from django.utils.html import conditional_escape as escape
from django.utils.safestring import SafeString, mark_safe

from filmstrip.stories.templatetags.datetimes import iso

from .threads import Node


def thread_html(nodes: list[Node], reply_url: str | None) -> SafeString:
    """``nodes`` as nested lists; each comment gets a Reply link to ``reply_url`` unless None
    (comments closed, or a preview)."""
    parts: list[str] = []
    _list(nodes, reply_url, parts)
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped)


def _list(nodes: list[Node], reply_url, parts: list[str]) -> None:
    parts.append('<ol class="comment-list">')
    for node in nodes:
        parts.append(_comment(node.comment, reply_url))
        if node.replies:
            _list(node.replies, reply_url, parts)
        parts.append("</li>\n")
    parts.append("</ol>\n")


def _comment(c, reply_url) -> str:
    anchor, name = escape(c.anchor), escape(c.author_name)
    if c.author_url:
        author = (
            f'<a href="{escape(c.author_url)}" rel="nofollow ugc noopener" '
            f'class="comment-author p-name u-url">{name}</a>'
        )
    else:
        author = f'<span class="comment-author p-name">{name}</span>'
    if c.by_author:
        badge = ' <span class="badge">author</span>'
    elif c.author_via:
        badge = f' <span class="via">via {escape(c.author_via)}</span>'
    else:
        badge = ""
    day = dateformat.format(timezone.localtime(c.created_at), "F j, Y")
    photo = (
        f'<p class="comment-photo">On <a href="#photo-{c.photo_id}">this photo</a></p>'
        if c.photo_id
        else ""
    )
    reply = (
        f'<a class="reply" href="{escape(reply_url)}?parent={c.pk}" data-reply="{c.pk}" '
        f'data-reply-name="{name}">Reply</a>'
        if reply_url is not None
        else ""
    )
    return (
        f'\n<li class="comment" id="{anchor}"><article class="p-comment h-cite">\n'
        f'<header class="comment-meta"><span class="avatar" aria-hidden="true" '
        f'style="background:hsl({c.avatar_hue} 45% 42%)">{escape(c.initial)}</span> '
        f'<span class="p-author h-card">{author}</span>{badge} '
        f'<a class="comment-date u-url" href="#{anchor}"><time class="dt-published" '
        f'datetime="{iso(c.created_at)}">{escape(day)}</time></a></header>\n'
        f'{photo}<div class="comment-body e-content">{c.body_html}</div>\n'
        f"{reply}\n"
        f"</article>"
    )
