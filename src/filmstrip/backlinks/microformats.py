"""What a linking page says about itself: its h-entry's title, author and text, as plain text.

Read with mf2py. Everything here is a stranger's text: it is reduced to plain strings (markup
dropped, control characters removed, length capped) and the page escapes it when showing it.
"""

import re
from dataclasses import dataclass

import mf2py
from bs4 import BeautifulSoup

TITLE_CHARS = 200
NAME_CHARS = 100
EXCERPT_CHARS = 280
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


@dataclass
class Details:
    title: str = ""
    author_name: str = ""
    author_url: str = ""
    excerpt: str = ""


def plain(value, limit: int) -> str:
    """One line of plain text, at most ``limit`` characters (an ellipsis marks a cut)."""
    if isinstance(value, dict):
        value = value.get("value", "")
    if not isinstance(value, str):
        return ""
    text = " ".join(_CONTROL.sub(" ", value).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def _first(properties: dict, name: str):
    values = properties.get(name) or [None]
    return values[0]


def _web_url(value) -> str:
    value = plain(value, 2000)
    return value if value.lower().startswith(("http://", "https://")) else ""


def _entries(items):
    """Every h-entry, outermost first, including those nested in feeds and cards."""
    for item in items:
        if "h-entry" in item.get("type", []):
            yield item
        yield from _entries(item.get("children", []))


def describe(soup: BeautifulSoup, url: str) -> Details:
    """Title, author and an excerpt from the page's first h-entry (the ``<title>`` otherwise)."""
    parsed = mf2py.parse(doc=soup, url=url)
    entry = next(_entries(parsed.get("items", [])), None)
    page_title = plain(soup.title.get_text() if soup.title else "", TITLE_CHARS)
    if entry is None:
        return Details(title=page_title)
    properties = entry.get("properties", {})
    text = plain(_first(properties, "summary") or _first(properties, "content"), 10_000)
    name = plain(_first(properties, "name"), 10_000)
    # An h-entry without p-name is given its whole text as an implied name: a note, untitled.
    implied = bool(text and text[:50] in name) or len(name) > TITLE_CHARS
    title = "" if implied else name
    text = text or (name if implied else "")
    author = _first(properties, "author")
    if isinstance(author, dict) and "properties" in author:
        card = author["properties"]
        author_name = plain(_first(card, "name"), NAME_CHARS)
        author_url = _web_url(_first(card, "url"))
    elif _web_url(author):
        author_name, author_url = "", _web_url(author)
    else:
        author_name, author_url = plain(author, NAME_CHARS), ""
    return Details(
        title=plain(title, TITLE_CHARS) or page_title,
        author_name=author_name,
        author_url=author_url,
        excerpt=plain(text, EXCERPT_CHARS),
    )
