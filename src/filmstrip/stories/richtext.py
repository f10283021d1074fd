"""Author- and reader-written Markdown to safe HTML: parsed by markdown-it, cleaned by nh3.

Authors are trusted to write links and emphasis, not to run script: whatever the Markdown
produces passes through the sanitiser's allow-list before it reaches a page.

Rendering runs in requests, so its cost must stay bounded for any input: markdown-it parses
CommonMark in linear time (Python-Markdown took seconds on 5,000 characters of "[`"), its one
quadratic step, typographic quotes, is skipped on texts with very many quote marks, and texts
longer than MAX_SOURCE are shown as plain paragraphs instead of being parsed at all.
"""

import html as html_lib
import re

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core.smartquotes import smartquotes

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

# Longer texts are not parsed: at this size the slowest known input renders in about 2 s.
MAX_SOURCE = 100_000
# Curly quotes cost (quote marks x paragraph length); past this many marks they stay straight.
MAX_SMART_QUOTES = 2_000
_QUOTES = re.compile(r"['\"]")


def _bounded_smartquotes(state) -> None:
    if len(_QUOTES.findall(state.src)) <= MAX_SMART_QUOTES:
        smartquotes(state)


def _parser(*, typographer: bool) -> MarkdownIt:
    # Raw HTML is passed on to nh3, which keeps only allow-listed tags and URL schemes.
    parser = MarkdownIt("commonmark", {"html": True, "typographer": typographer})
    # Links too: nh3 alone decides which URL schemes survive (a refused one loses its href
    # rather than showing its source text).
    parser.validateLink = lambda url: True  # type: ignore[method-assign]  # its documented hook
    if typographer:
        parser.enable(["replacements", "smartquotes"])
        parser.core.ruler.at("smartquotes", _bounded_smartquotes)
    return parser


_AUTHOR = _parser(typographer=True)
_READER = _parser(typographer=False)


def _to_html(parser: MarkdownIt, text: str) -> str:
    if len(text) > MAX_SOURCE:
        paragraphs = re.split(r"\n\s*\n", text.strip())
        return "\n".join(f"<p>{html_lib.escape(p)}</p>" for p in paragraphs)
    return parser.render(text)


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
    return _clean(_to_html(_READER, text), COMMENT_TAGS, COMMENT_LINK_REL)


def render_markdown(text: str) -> str:
    """Block Markdown (paragraphs, lists, quotes, links) as sanitised HTML."""
    if not text.strip():
        return ""
    return _clean(_to_html(_AUTHOR, text), BLOCK_TAGS)


def render_inline(text: str) -> str:
    """One line of Markdown (a caption) as sanitised inline HTML, without a wrapping <p>."""
    if not text.strip():
        return ""
    html = _to_html(_AUTHOR, text).strip()
    html = html.replace("</p>\n<p>", "<br><br>").removeprefix("<p>").removesuffix("</p>")
    return _clean(html, INLINE_TAGS)
