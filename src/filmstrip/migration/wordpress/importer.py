"""Importing a WordPress export: posts become essays, their photos photo items, their comments
comments and their pingbacks links back, each post in a transaction of its own.

Idempotent and incremental: each essay remembers its site and post id (models.ImportedPost).
Running the same export again changes nothing; a newer export updates the posts changed there,
unless the author has edited the essay here since (``overwrite`` replaces those too); photos
missing the first time are put in their kept places once a run finds their files; new comments
are added. ``dry_run`` goes through every post and rolls each back, storing no file.
"""

import hashlib
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction

from filmstrip.imaging import ImageError, probe
from filmstrip.photos.intake import add_photo, sha256_file
from filmstrip.photos.models import Photo
from filmstrip.stories.models import Story

from ..models import ImportedAttachment, ImportedPost
from . import discussion, essays
from .content import convert
from .media import MediaError, MediaLibrary
from .records import Attachment, Conversion, Item, PhotoBlock, Site
from .report import Report, label
from .wxr import WxrError, iter_items, read_site

logger = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
# What stops an import before it writes anything, with a message for the person running it.
ImportRefused = (WxrError, MediaError)
ID_IN_LINK = re.compile(r"[?&](?:p|page_id)=(\d+)")
NO_ID = 2**62  # keys made for posts without an id start here, above any WordPress gives


def import_wordpress(
    path: Path | str,
    *,
    media: Path | str | None = None,
    fetch: bool = False,
    pages: bool = False,
    overwrite: bool = False,
    dry_run: bool = False,
    on_progress: Progress | None = None,
) -> Report:
    """Import the export at ``path``; ``on_progress(done, total, title)`` follows it.
    Raises one of ImportRefused, before writing anything, for a file that is no readable
    export or a ``media`` folder or archive that cannot be used."""
    path = Path(path)
    site = read_site(path)
    types = {"post", "page"} if pages else {"post"}
    attachments, total, pages_left = _survey(path, types)
    report = Report(site=site.key, dry_run=dry_run)
    if not site.key:
        report.problem(
            path.name,
            "the export names no site address: its posts are known by id alone, as are "
            "those of any other export without one",
        )
    if pages_left:
        report.problem(path.name, f"{pages_left} page(s) not imported (--pages imports them)")
    with MediaLibrary(media, fetch=fetch) as library:
        run = Run(site, attachments, library, report, overwrite=overwrite, dry_run=dry_run)
        for done, item in enumerate(_posts(path, types, report), start=1):
            if on_progress:
                on_progress(done, total, item.title or item.slug or str(item.id))
            run.post(item)
    return report


def _survey(path: Path, types: set[str]) -> tuple[dict[int, Attachment], int, int]:
    """A first pass: the media library (an export may list it after the posts that show it),
    how many posts there are (for the progress bar) and how many pages are left out."""
    attachments: dict[int, Attachment] = {}
    total = pages_left = 0
    for item in iter_items(path):
        if item.type == "attachment":
            attachments.setdefault(item.id, Attachment.from_item(item))
        elif item.type in types:
            total += 1
        elif item.type == "page":
            pages_left += 1
    return attachments, total, pages_left


def _posts(path: Path, types: set[str], report: Report) -> Iterator[Item]:
    """The posts (and pages) to import, each id once: a second item with an id already seen
    is reported and left out."""
    seen: set[int] = set()
    for item in iter_items(path):
        if item.type not in types:
            continue
        if item.id <= 0:
            _give_id(item, report)
        if item.id in seen:
            report.count("essays", "skipped")
            report.problem(label(item), f"a second {item.type} with id {item.id}: not imported")
            continue
        seen.add(item.id)
        yield item


def _give_id(item: Item, report: Report) -> None:
    """A post the export gives no usable id (edited by hand): the id its guid or link names
    (``?p=19``), else a number made from them, so that a later run knows it again."""
    found = next(filter(None, (ID_IN_LINK.search(t) for t in (item.guid, item.link))), None)
    if found:
        item.id = int(found[1])
        return
    basis = item.guid or item.link or f"{item.title}\n{item.date}\n{item.content}"
    item.id = NO_ID + int(hashlib.sha256(basis.encode()).hexdigest()[:15], 16)
    report.problem(label(item), "the export gives it no id: known by its guid or title from now on")


class RolledBack(Exception):
    """Raised to undo a post's transaction on a dry run."""


@dataclass
class Run:
    """One import under way: what every post's import reads (the site, its media, the
    options) and where it tells what it did (the report)."""

    site: Site
    attachments: dict[int, Attachment]
    library: MediaLibrary
    report: Report
    overwrite: bool = False
    dry_run: bool = False
    stored: list[str] = field(default_factory=list)  # originals stored for the current post
    conversion: Conversion | None = None  # the current post's content

    @property
    def key(self) -> str:
        return self.site.key

    def post(self, item: Item) -> None:
        """Import one post in a transaction of its own: it goes in whole, or not at all."""
        self.stored = []
        counts, problems = self.report.counts.copy(), len(self.report.problems)
        try:
            self.conversion = self._convert(item)
            # Downloads, a few at a time, before the transaction rather than in it.
            photos = [b for b in self.conversion.blocks if isinstance(b, PhotoBlock)]
            self.library.prefetch((self._attachment(b.attachment_id), b.url) for b in photos)
            with transaction.atomic():
                essays.import_post(self, item)
                if self.dry_run:
                    raise RolledBack
        except RolledBack:
            pass
        except Exception as exc:  # one bad post is reported and the rest go on
            logger.exception("WordPress post %s of %s not imported", item.id, self.key)
            self._undo_files()
            self.report.counts = counts  # what it counted was rolled back with it
            del self.report.problems[problems:]
            self.report.count("essays", "failed")
            self.report.problem(label(item), f"not imported: {exc}")

    def _undo_files(self) -> None:
        for name in self.stored:
            default_storage.delete(name)

    # --- photos ---------------------------------------------------------------------------

    def _attachment(self, attachment_id: int | None) -> Attachment | None:
        return self.attachments.get(attachment_id) if attachment_id else None

    def photo(self, attachment_id: int | None, url: str) -> tuple[Photo | None, str]:
        """The photo for a photo block, stored if new: (photo, "") when found; (None, reason)
        when its file is not to be had; (None, "") on a dry run for a file not stored yet."""
        attachment = self._attachment(attachment_id)
        known = None
        if attachment is not None:
            rows = ImportedAttachment.objects.filter(site=self.key, attachment_id=attachment.id)
            known = rows.select_related("photo").first()
            if known is not None and known.photo is not None:
                self.report.count("photos", "unchanged")
                return known.photo, ""
        found = self.library.lookup(attachment, url)
        if found.path is None:
            return None, found.reason
        try:
            photo = self._store(found.path)
        except (ImageError, OSError) as exc:
            return None, f"{found.path.name} cannot be used: {exc}"
        if photo is not None and attachment is not None:
            known = known or ImportedAttachment(site=self.key, attachment_id=attachment.id)
            known.photo, known.url = photo, attachment.url[:2000]
            known.save()
        return photo, ""

    def _store(self, path: Path) -> Photo | None:
        if self.dry_run:
            existing = Photo.objects.filter(checksum=sha256_file(path)).first()
            if existing is None:
                probe(path)  # what would be refused is refused now
            self.report.count("photos", "unchanged" if existing else "created")
            return existing
        photo, created = add_photo(path)
        if created:
            self.stored.append(photo.original.name or "")
        self.report.count("photos", "created" if created else "unchanged")
        return photo

    def _convert(self, item: Item) -> Conversion:
        conversion = convert(item.content, self.attachments, post_id=item.id)
        for name in conversion.unknown:
            self.report.unknown[name] += 1
        return conversion

    def imported(self, item: Item) -> ImportedPost | None:
        return (
            ImportedPost.objects.select_for_update(of=("self",))
            .filter(site=self.key, post_id=item.id)
            .select_related("story")
            .first()
        )

    def comments(self, story: Story, item: Item) -> None:
        discussion.import_comments(self, story, item)
