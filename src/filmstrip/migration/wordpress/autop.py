"""What WordPress does to classic (pre-block) text before showing it, done on the HTML: blank
lines are paragraphs and single newlines line breaks (its wpautop), <pre> left alone.

Every pattern here is anchored so that no attempt starts inside a run another attempt has
scanned: the work stays linear in the text.
"""

import re
from collections.abc import Callable

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_BLOCK_TAGS = r"(?:p|div|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|pre|figure|figcaption|table|hr"
_BLOCK_TAGS += r"|address|section|iframe|form)"
_HTML_BLOCK = re.compile(r"\s*<(?:" + _BLOCK_TAGS + r"\b|!--)", re.IGNORECASE)
# A newline in a paragraph is a line break, unless a block's tag is beside it. [^<>] keeps an
# attempt within one tag; the look-behind starts no attempt inside a run of blanks.
_LINE_BREAK = re.compile(
    r"(</?" + _BLOCK_TAGS + r"\b[^<>]*>)?(?<![ \t])[ \t]*\n(?![ \t]*</?" + _BLOCK_TAGS + r"\b)",
    re.IGNORECASE,
)
_PRE = re.compile(r"<pre\b|</pre\s*>", re.IGNORECASE)


def _outside_pre(text: str, change: Callable[[str], str]) -> str:
    out: list[str] = []
    done = depth = 0
    for match in _PRE.finditer(text):
        if match[0][1] != "/":
            if depth == 0:
                out.append(change(text[done : match.start()]))
                done = match.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                out.append(text[done : match.end()])
                done = match.end()
    out.append(text[done:] if depth else change(text[done:]))
    return "".join(out)


def _paragraphs(text: str) -> str:
    out = []
    for chunk in _BLANK_LINE.split(text):
        if not chunk.strip():
            continue
        if _HTML_BLOCK.match(chunk):
            out.append(chunk)
        else:
            lines = _LINE_BREAK.sub(lambda m: (m[1] or "<br>") + "\n", chunk.strip())
            out.append(f"<p>{lines}</p>")
    return "\n" + "\n".join(out) + "\n"


def paragraphs(text: str) -> str:
    """Blank lines as paragraphs and single newlines as line breaks, outside <pre>."""
    return _outside_pre(text, _paragraphs)
