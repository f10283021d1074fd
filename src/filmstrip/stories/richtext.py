"""Author-written Markdown to safe HTML: rendered with python-markdown, then cleaned by nh3.

Authors are trusted to write links and emphasis, not to run script: whatever the Markdown
produces passes through the sanitiser's allow-list before it reaches a page.
"""

import markdown as md
import nh3

BLOCK_TAGS = {
    "p",
    "br",
    "a",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "hr",
    "abbr",
    "sup",
    "sub",
    "del",
}
INLINE_TAGS = {"a", "em", "strong", "code", "br", "abbr", "sup", "sub", "del"}
ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}}
URL_SCHEMES = {"http", "https", "mailto"}


# What readers may write in a comment: the author's tags less headings, rules and typographic
# extras; their links are not endorsed.
COMMENT_TAGS = BLOCK_TAGS - {"h2", "h3", "h4", "hr", "abbr", "sup", "sub"}
COMMENT_LINK_REL = "nofollow ugc noopener"


def _clean(html: str, tags: set[str], link_rel: str = "noopener") -> str:
    return nh3.clean(
        html,
        tags=tags,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=link_rel,
        strip_comments=True,
    ).strip()


def render_comment(text: str) -> str:
    """A reader's comment: a small Markdown subset, sanitised, links marked nofollow ugc."""
    if not text.strip():
        return ""
    html = md.markdown(text, output_format="html")
    return _clean(html, COMMENT_TAGS, COMMENT_LINK_REL)


def render_markdown(text: str) -> str:
    """Block Markdown (paragraphs, lists, quotes, links) as sanitised HTML."""
    if not text.strip():
        return ""
    # Raw HTML in the source reaches the sanitiser like everything else and keeps only
    # allow-listed tags and URL schemes.
    html = md.markdown(text, extensions=["smarty"], output_format="html", tab_length=4)
    return _clean(html, BLOCK_TAGS)


def render_inline(text: str) -> str:
    """One line of Markdown (a caption) as sanitised inline HTML, without a wrapping <p>."""
    if not text.strip():
        return ""
    html = md.markdown(text, extensions=["smarty"], output_format="html")
    html = html.replace("</p>\n<p>", "<br><br>").removeprefix("<p>").removesuffix("</p>")
    return _clean(html, INLINE_TAGS)
