"""Importing a folder of photos as an essay, in capture order, with the files' own captions.

Idempotent: the essay remembers the folder it came from, and a photo already in it is skipped,
so running the same import again adds only what is new.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from filmstrip.imaging import ImageError
from filmstrip.photos.intake import add_photo
from filmstrip.photos.models import Photo
from filmstrip.stories import publishing
from filmstrip.stories.assembly import capture_order, place_photo
from filmstrip.stories.models import Story

from .files import candidate_files


class FolderError(Exception):
    pass


@dataclass
class FolderImportResult:
    story: Story
    added: list[str] = field(default_factory=list)
    already_in_essay: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    story_created: bool = False


def import_folder(
    folder: Path | str,
    *,
    title: str,
    publish: bool = False,
    author=None,
    on_file: Callable[[str, str, str], None] | None = None,
) -> FolderImportResult:
    """Make (or extend) the essay for ``folder``; ``on_file(name, outcome, detail)`` reports.

    Unreadable files are listed in ``failed`` with the reason and everything else is imported.
    """
    folder = Path(folder).expanduser().resolve()
    if not folder.is_dir():
        raise FolderError(f"{folder} is not a folder")
    report = on_file or (lambda name, outcome, detail: None)
    source = f"folder:{folder}"
    story = Story.objects.filter(import_source=source).first()
    created = story is None
    if story is None:
        story = Story.objects.create(title=title, import_source=source, author=author)
    result = FolderImportResult(story=story, story_created=created)

    in_essay = set(story.items.values_list("photo_id", flat=True))
    found: dict[int, tuple[Photo, str]] = {}
    for path in candidate_files(folder):
        try:
            photo, _ = add_photo(path)
        except (ImageError, OSError) as exc:
            reason = str(exc) if isinstance(exc, ImageError) else f"cannot be read: {exc}"
            result.failed.append((path.name, reason))
            report(path.name, "failed", reason)
            continue
        if photo.pk in in_essay or photo.pk in found:
            result.already_in_essay.append(path.name)
            report(path.name, "skipped", "already in the essay")
            continue
        found[photo.pk] = (photo, path.name)
        report(path.name, "added", photo.status)

    # The same placement as the studio's uploads (stories.assembly), in capture order.
    ordered = sorted(found.values(), key=lambda pair: capture_order(*pair))
    with transaction.atomic():
        for photo, _ in ordered:
            place_photo(story, photo)
        result.added = [name for _, name in ordered]
        story.refresh_from_db()
        if publish and story.status != Story.Status.PUBLISHED:
            publishing.publish(story, user=author)
        elif ordered and not result.story_created:
            publishing.changed(story, user=author)
    return result
