"""Gutenberg's block comments (``<!-- wp:image {"id":12} -->…<!-- /wp:image -->``) as a tree.

Each comment is found once, left to right (a comment ends at the first ``-->`` after it, as in
HTML), so the work stays linear in the content however it is nested or broken; nesting deeper
than MAX_DEPTH is flattened into the enclosing block.
"""

import json
import re
from dataclasses import dataclass, field
from typing import Any

MAX_DEPTH = 32

# Possessive blanks (*+): a run of them is never shared out between two \s* by backtracking,
# which took time quadratic in the run's length.
_DELIMITER = re.compile(
    r"\s++(?P<closer>/)?wp:(?P<name>[a-z][a-z0-9_-]*+(?:/[a-z][a-z0-9_-]*+)?)\s*+"
    r"(?P<attrs>\{.*\})?\s*+(?P<void>/)?\s*+",
    re.DOTALL,
)


@dataclass
class Block:
    name: str  # with its namespace: "core/image", "jetpack/slideshow"
    attrs: dict[str, Any] = field(default_factory=dict)
    parts: list["str | Block"] = field(default_factory=list)  # inner HTML and blocks, in order

    @property
    def inner_blocks(self) -> list["Block"]:
        return [part for part in self.parts if isinstance(part, Block)]

    @property
    def own_html(self) -> str:
        """The block's markup without its inner blocks' (e.g. a gallery's caption)."""
        return "".join(part for part in self.parts if isinstance(part, str))

    @property
    def html(self) -> str:
        """All the markup inside the block, inner blocks' included."""
        return "".join(part if isinstance(part, str) else part.html for part in self.parts)


def _attrs(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def parse(content: str) -> list[str | Block]:
    """The content's top level: HTML outside any block (strings) and blocks, in order."""
    root: list[str | Block] = []
    stack: list[Block] = []
    flattened = 0  # openers past MAX_DEPTH whose closers are to be dropped too
    done = scan = 0
    while (start := content.find("<!--", scan)) >= 0:
        end = content.find("-->", start + 4)
        if end < 0:
            break
        scan = end + 3
        match = _DELIMITER.fullmatch(content, start + 4, end)
        if match is None:
            continue  # an ordinary comment stays in the HTML
        sink = stack[-1].parts if stack else root
        if start > done:
            sink.append(content[done:start])
        done = scan
        name = match["name"] if "/" in match["name"] else "core/" + match["name"]
        if match["closer"]:
            if flattened:
                flattened -= 1
            elif any(block.name == name for block in stack):
                while stack.pop().name != name:
                    pass
            # a closer that closes nothing is dropped
        elif match["void"]:
            sink.append(Block(name, _attrs(match["attrs"])))
        elif len(stack) >= MAX_DEPTH:
            flattened += 1
        else:
            block = Block(name, _attrs(match["attrs"]))
            sink.append(block)
            stack.append(block)
    if done < len(content):
        (stack[-1].parts if stack else root).append(content[done:])
    return root
