"""Following the worker from a command: a progress bar until the photos are processed."""

import time

from filmstrip.photos.models import Photo

from .progress import ProgressBar

FINISHED = (Photo.Status.READY, Photo.Status.FAILED)


def wait_for(photo_ids: list[int], stream, poll: float = 0.5) -> dict[str, int]:
    """Show a progress bar until every photo in ``photo_ids`` is ready or failed; how many
    ended in each state."""
    with ProgressBar(len(photo_ids), "processing", stream) as bar:
        while True:
            states = dict(Photo.objects.filter(pk__in=photo_ids).values_list("pk", "status"))
            done = sum(1 for state in states.values() if state in FINISHED)
            bar.update(done)
            if done >= len(states):
                break
            time.sleep(poll)
    counts: dict[str, int] = {}
    for state in states.values():
        counts[state] = counts.get(state, 0) + 1
    return counts
