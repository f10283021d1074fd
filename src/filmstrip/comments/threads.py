"""Approved comments of an essay as a tree, built from one query."""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Node:
    comment: Any
    replies: list["Node"] = field(default_factory=list)


def thread(comments) -> list[Node]:
    """Top-level nodes in order; a reply whose parent is not shown becomes top-level."""
    nodes = {c.pk: Node(c) for c in comments}
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.comment.parent_id)
        (parent.replies if parent else roots).append(node)
    return roots
