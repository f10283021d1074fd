"""Approved comments of an essay as a tree, built from one query."""

from dataclasses import dataclass, field


@dataclass
class Node:
    comment: object
    replies: list["Node"] = field(default_factory=list)


def thread(comments) -> list[Node]:
    """Top-level nodes in order; a reply whose parent is not shown becomes top-level."""
    nodes = {c.pk: Node(c) for c in comments}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.comment.parent_id)
        (parent.replies if parent else roots).append(node)
    return roots


@dataclass
class Entry:
    """One comment of a thread written out in order: whether a list of replies opens after it,
    else how many lists of replies end with it."""

    comment: object
    opens: bool
    closes: range


def flatten(roots: list[Node]) -> list[Entry]:
    """The thread in reading order, for one loop in one template: a template included once per
    comment with replies cost more than the rest of the comment section."""
    entries: list[Entry] = []

    def walk(nodes: list[Node], depth: int) -> None:
        for node in nodes:
            entries.append(Entry(node.comment, bool(node.replies), range(0)))
            if node.replies:
                walk(node.replies, depth + 1)
        # The last comment of a list of replies also ends the list, and its parent's item.
        if depth:
            last = entries[-1]
            last.closes = range(len(last.closes) + 1)

    walk(roots, 0)
    return entries
