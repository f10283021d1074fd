"""WordPress shortcodes (``[gallery ids="1,2"]``, ``[caption]…[/caption]``) found in text.

A shortcode's attributes hold no square brackets, so each match attempt stops at the next
bracket; closing tags are looked up in a list made once per name. The scan is linear in the
text whatever it holds (a megabyte of "[[[[" or of unclosed openers).
"""

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field

# Possessive (*+): a name's letters are never handed back to the attributes, which made a
# "[" and a long word take time quadratic in the word.
_OPENER = re.compile(
    r"\[(?P<escape>\[?)(?P<name>[A-Za-z][\w-]*+)(?P<attrs>[^\[\]]*+)\](?P<end>\]?)"
)
_ATTR = re.compile(
    r"""(?P<key>[\w-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s'"]+))"""
    r"""|"(?P<pdq>[^"]*)"|'(?P<psq>[^']*)'|(?P<word>\S+)"""
)
# Quotes that editors and WordPress's own texturize put in place of straight ones.
_CURLY = str.maketrans({"“": '"', "”": '"', "″": '"', "‘": "'", "’": "'", "′": "'"})


@dataclass
class Shortcode:
    name: str
    start: int  # where the shortcode's text begins and ends in the scanned text
    end: int
    attrs: dict[str, str] = field(default_factory=dict)  # keys lower-cased
    positional: list[str] = field(default_factory=list)  # "[embed url]"-style values
    content: str | None = None  # between opener and closer, for an enclosing shortcode
    has_closer: bool = False
    escaped: bool = False  # "[[gallery]]", which WordPress prints as "[gallery]"


def parse_attrs(text: str) -> tuple[dict[str, str], list[str]]:
    attrs: dict[str, str] = {}
    positional: list[str] = []
    for match in _ATTR.finditer(text.translate(_CURLY)):
        if match["key"]:
            value = match["dq"] if match["dq"] is not None else match["sq"]
            attrs[match["key"].lower()] = value if value is not None else match["bare"]
        else:
            value = next(v for v in (match["pdq"], match["psq"], match["word"]) if v is not None)
            value = value.lstrip("=")  # Jetpack's "[youtube=URL]"
            if value and value != "/":
                positional.append(value)
    return attrs, positional


class _Closers:
    """Where ``[/name]`` occurs, found with one scan per name."""

    def __init__(self, text: str):
        self.text = text
        self.found: dict[str, list[int]] = {}

    def after(self, name: str, position: int) -> int | None:
        key = name.lower()
        if key not in self.found:
            pattern = re.compile(r"\[/" + re.escape(name) + r"\]", re.IGNORECASE)
            self.found[key] = [m.start() for m in pattern.finditer(self.text)]
        places = self.found[key]
        index = bisect_left(places, position)
        return places[index] if index < len(places) else None


def scan(text: str, enclosing: frozenset[str]) -> Iterator[Shortcode]:
    """The shortcodes of ``text`` in order, not overlapping. For names in ``enclosing`` the
    content up to the next closer is taken (and scanned no further); escaped ones
    (``[[gallery]]``) come with ``escaped`` set, their text brackets included."""
    closers = _Closers(text)
    position = 0
    while (match := _OPENER.search(text, position)) is not None:
        name = match["name"].lower()
        if match["escape"] and match["end"]:
            position = match.end()
            yield Shortcode(name, match.start(), position, escaped=True)
            continue
        # "[[gallery]" is "[" then a shortcode: step over the stray bracket.
        start = match.start() + len(match["escape"])
        end = match.end() - len(match["end"])
        attrs, positional = parse_attrs(match["attrs"])
        shortcode = Shortcode(name, start, end, attrs, positional)
        closer = None if match["attrs"].rstrip().endswith("/") else closers.after(name, end)
        shortcode.has_closer = closer is not None
        if closer is not None and name in enclosing:
            shortcode.content = text[end:closer]
            shortcode.end = closer + len(name) + 3
        position = shortcode.end
        yield shortcode
