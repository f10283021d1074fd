"""Photos set side by side: an essay's items read as rows, and the rules a group keeps.

A group is 2 to ``MAX_GROUP`` consecutive photos, each but the last marked ``group_with_next``.
The page draws it as one row in its first photo's layout, under its first photo's
``group_caption`` when there is one. The author's requests are checked here (``grouped``);
a flag that a later move or deletion left pointing nowhere is cleared by ``settle``, and the
page reads rows the same way whatever is stored (``rows``).
"""

from collections.abc import Sequence

from .models import Story, StoryItem

MAX_GROUP = 4


class GroupRefused(ValueError):
    """A grouping the essay cannot have; the message says why, in the author's words."""


def rows(items: Sequence[StoryItem]) -> list[list[StoryItem]]:
    """``items``, in order, as the page draws them: a passage or a single photo alone, a
    group's photos together; never a group across a passage, nor of more than MAX_GROUP."""
    drawn: list[list[StoryItem]] = []
    joining = False
    for item in items:
        if joining and item.photo_id and len(drawn[-1]) < MAX_GROUP:
            drawn[-1].append(item)
        else:
            drawn.append([item])
        joining = bool(item.photo_id and item.group_with_next)
    return drawn


def grouped(items: Sequence[StoryItem], item: StoryItem, wanted: bool) -> bool:
    """What ``item``'s ``group_with_next`` is saved as when the author asks for ``wanted``,
    ``items`` being its essay's items in order. The last photo asking to join a next one that
    does not exist stays a single photo (a group of one is no group); GroupRefused for a
    passage, for a group across a passage, or for one of more than MAX_GROUP photos."""
    if not wanted:
        return False
    if not item.photo_id:
        raise GroupRefused("A text passage is not grouped: only photos are set side by side.")
    at = next(i for i, other in enumerate(items) if other.pk == item.pk)
    if at + 1 == len(items):
        return False
    if not items[at + 1].photo_id:
        raise GroupRefused(
            "A group cannot go across a text passage: move the passage, or end the group before it."
        )
    start = at
    while start > 0 and items[start - 1].photo_id and items[start - 1].group_with_next:
        start -= 1
    end = at + 1
    while end + 1 < len(items) and items[end].group_with_next and items[end + 1].photo_id:
        end += 1
    if (size := end - start + 1) > MAX_GROUP:
        raise GroupRefused(f"A group holds at most {MAX_GROUP} photos; this one would hold {size}.")
    return True


def settle(story: Story) -> int:
    """Clear the ``group_with_next`` of photos that no longer lead into a group as drawn
    (after a move, a deletion or a restore): so the studio shows what the page draws.
    Returns how many were cleared."""
    items = list(story.items.only("pk", "photo_id", "group_with_next"))
    joined = {pk for row in rows(items) for pk in (item.pk for item in row[:-1])}
    stale = [item.pk for item in items if item.group_with_next and item.pk not in joined]
    return StoryItem.objects.filter(pk__in=stale).update(group_with_next=False)
