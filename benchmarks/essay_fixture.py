"""A published photo essay of any size, made in the current database without the image pipeline.

Photos are stored as ready rows with a rendition row per width and format of the configured
ladder (no files): what the public pages read, in seconds rather than minutes. Comments are
approved and threaded three deep (every third a reply, every fifth about a photo), and a few
links back are shown. Rows only: nothing is announced to the published site or queued (call
filmstrip.stories.publishing for that). Everything is fixed (texts, dates, with ``first_id``
also the ids), so the same call renders the same bytes: the render tests snapshot it and
benchmarks/render.py times it.

    from benchmarks.essay_fixture import build_essay
    story = build_essay(photos=80, comments=100)
"""

import hashlib
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.contrib.auth.models import User

from filmstrip.backlinks.models import Backlink
from filmstrip.comments.models import Comment
from filmstrip.conf import filmstrip_settings
from filmstrip.photos.models import Photo, Rendition
from filmstrip.stories.models import Story, StoryItem, Tag

PUBLISHED = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
# A text passage after every this many photos, as essays alternate pictures and prose.
PASSAGE_EVERY = 10
BACKLINKS = 3


def build_essay(
    photos: int = 80,
    comments: int = 100,
    slug: str = "field-notes",
    first_id: int | None = None,
    pending: int = 0,
    shape: Callable[[int], tuple[int, int]] | None = None,
) -> Story:
    """A published essay of ``photos`` photos and ``comments`` approved comments; the last
    ``pending`` photos still wait for their renditions.

    ``first_id``: give every row an id counted from it (for byte-identical pages in tests,
    whatever the database's sequences say); None lets the database choose. ``shape``: photo
    N's width and height; by default every fourth is a 2:3 portrait, the others 3:2.
    """
    ids = _Ids(first_id)
    author = User.objects.create_user(
        f"{slug}-author", first_name="Ann", last_name="Reporter", pk=ids.next()
    )
    story = Story.objects.create(
        pk=ids.next(),
        slug=slug,
        title="Field Notes from the Coast",
        author=author,
        intro="A week on the coast, *walked* end to end. More [on the map](https://example.org/).",
        licence="Use any photo you like. If you do, link back to this page.",
        show_photo_details=True,
        allow_downloads=True,
    )
    for name in ("Coast", "Walking"):
        pk = ids.next()
        tag = Tag.objects.filter(name=name).first()
        story.tags.add(tag or Tag.objects.create(pk=pk, name=name, slug=name.lower()))
    shape = shape or _shape
    made = [_photo(ids.next(), slug, n, *shape(n)) for n in range(1, photos + 1)]
    _renditions(made[: photos - pending], ids)
    Photo.objects.filter(pk__in=[p.pk for p in made[photos - pending :]]).update(
        status=Photo.Status.PENDING
    )
    position = 0
    for n, photo in enumerate(made, 1):
        StoryItem.objects.create(
            pk=ids.next(),
            story=story,
            position=position,
            photo=photo,
            caption=f"Photo {n}: the tide line at *dawn*, [seen from the dunes](https://example.org/{n}).",
            alt_text=f"Sand, sea and sky, view {n}",
            licence_url="https://creativecommons.org/licenses/by/4.0/" if n % 7 == 0 else "",
        )
        position += 1
        if n % PASSAGE_EVERY == 0:
            StoryItem.objects.create(
                pk=ids.next(),
                story=story,
                position=position,
                kind=StoryItem.Kind.TEXT,
                body=f"After photo {n} the path *turns* inland.\n\nA second paragraph.",
            )
            position += 1
    # Published by its fields, not through stories.publishing: rows only, no jobs queued.
    story.cover = made[0] if made else None
    story.status, story.published_at = Story.Status.PUBLISHED, PUBLISHED
    story.save()
    _comments(story, made, comments, ids)
    _backlinks(story, made, ids)
    Story.objects.filter(pk=story.pk).update(updated_at=PUBLISHED + timedelta(days=3))
    return Story.objects.get(pk=story.pk)


class _Ids:
    def __init__(self, first: int | None):
        self.current = first

    def next(self) -> int | None:
        if self.current is None:
            return None
        self.current += 1
        return self.current - 1


def _shape(n: int) -> tuple[int, int]:
    return (2667, 4000) if n % 4 == 0 else (4000, 2667)


def _photo(pk, slug: str, n: int, width: int, height: int) -> Photo:
    checksum = hashlib.sha256(f"{slug}/{n}".encode()).hexdigest()
    return Photo.objects.create(
        pk=pk,
        original=f"originals/{checksum[:2]}/{checksum}.jpg",
        original_filename=f"coast-{n:03}.jpg",
        checksum=checksum,
        size_bytes=8_000_000 + n,
        format="jpeg",
        width=width,
        height=height,
        captured_at=PUBLISHED - timedelta(days=7, minutes=-n),
        captured_offset=60,
        title=f"Coast {n}",
        creator="Ann Reporter",
        camera_make="FUJIFILM",
        camera_model="X-T5",
        lens="XF23mmF2 R WR",
        focal_length=23.0,
        f_number=5.6,
        exposure_time="1/500",
        iso=200,
        metadata_checked=True,
        placeholder_color="#8a9bb0",
        placeholder_hash="3OcRJYB4d3h/iIeHeEh3eIhw+j2w",
        status=Photo.Status.READY,
    )


def _renditions(photos: list[Photo], ids: _Ids) -> None:
    rows = []
    for photo in photos:
        for fmt in filmstrip_settings.RENDITION_FORMATS:
            for width in filmstrip_settings.RENDITION_WIDTHS:
                if width > photo.width:
                    continue
                height = round(width * photo.height / photo.width)
                name = f"r/{photo.checksum[:2]}/{photo.checksum[:32]}-0f1e2d3c-{width}.{fmt}"
                size = width * height // (10 if fmt == "jpeg" else 14)
                rows.append(Rendition(pk=ids.next(), photo=photo, format=fmt, width=width,
                                      height=height, name=name, size_bytes=size))  # fmt: skip
    Rendition.objects.bulk_create(rows)


def _comments(story: Story, photos: list[Photo], count: int, ids: _Ids) -> None:
    made: list[Comment] = []
    for n in range(1, count + 1):
        # Every third answers the one before; every sixth answers such an answer.
        parent = made[n - 4] if n % 6 == 0 else made[n - 2] if n % 3 == 0 else None
        by_author = n % 11 == 0
        comment = Comment(
            pk=ids.next(),
            story=story,
            photo=photos[n % len(photos)] if photos and n % 5 == 0 else None,
            parent=parent,
            depth=parent.depth + 1 if parent else 1,
            user=story.author if by_author else None,
            author_name="Ann Reporter" if by_author else f"Reader {n}",
            author_email="" if by_author else f"reader{n}@example.org",
            author_url=f"https://reader{n}.example.org/" if n % 4 == 0 else "",
            body=f"Comment {n}: the light in these is *lovely*.\n\nSee <https://example.org/{n}>.",
            status=Comment.Status.APPROVED,
        )
        comment.save()
        made.append(comment)
    # Dated in the order written, a minute apart, after the essay was published.
    for n, comment in enumerate(made, 1):
        comment.created_at = PUBLISHED + timedelta(hours=1, minutes=n)
    Comment.objects.bulk_update(made, ["created_at"])


def _backlinks(story: Story, photos: list[Photo], ids: _Ids) -> None:
    for n in range(1, BACKLINKS + 1):
        Backlink.objects.create(
            pk=ids.next(),
            kind=Backlink.Kind.WEBMENTION,
            story=story,
            photo=photos[n] if photos and n == 2 and len(photos) > n else None,
            source=f"https://blog{n}.example.net/posts/{n}",
            target=f"{story.get_absolute_url()}",
            title=f"A walk worth taking ({n})",
            author_name=f"Blogger {n}" if n != 3 else "",
            author_url=f"https://blog{n}.example.net/" if n == 1 else "",
            excerpt="They walked the whole coast and photographed it." if n != 2 else "",
            status=Backlink.Status.APPROVED,
            verification=Backlink.Check.VERIFIED,
            received_at=PUBLISHED + timedelta(days=1, hours=n),
        )
    Backlink.objects.filter(story=story).update(created_at=PUBLISHED + timedelta(days=1))


# Issue 15's seed-size essay: the reference essay's mix of shapes, repeated in each run of ten
# photos between passages: 3:2 and 2:3, 4:5, a 16:9 panorama, a square and a 9:16 phone portrait.
SEED_PHOTOS = 80
SEED_SHAPES = (
    (4000, 2667), (2667, 4000), (2667, 4000), (4000, 2667), (4000, 2667),
    (3200, 4000), (4000, 2250), (3000, 3000), (2250, 4000), (4000, 2667),
)  # fmt: skip
# Real photos (the demo's, shipped with Filmstrip) large enough for the widest rendition, so
# that renditions weigh what photos weigh; each is cut into a few crops per shape, as near
# duplicates ("Side street", "Side street 2") are in real essays.
SOURCES = ("nuthatch.jpg", "notebook.jpg", "shop-at-night.jpg", "cat.jpg", "book-and-flowers.jpg")
CROPS = 4


def seed_shape(n: int) -> tuple[int, int]:
    return SEED_SHAPES[(n - 1) % len(SEED_SHAPES)]


# How a photographer might set each run of ten: photo N of the run as (layout, joins the next
# photo, the caption its group shares), two patterns taking turns: groups of 2, 3 and 4, photos
# at text width and full-bleed. A run's first group is drawn in _FIRST_GROUP's layout, if any.
_RUNS = (
    {1: ("full", False, ""), 2: ("wide", True, ""), 5: ("wide", True, "A shared caption."),
     6: ("wide", True, ""), 8: ("text", False, "")},
    {2: ("wide", True, ""), 3: ("wide", True, ""), 4: ("wide", True, ""), 6: ("text", False, ""),
     7: ("full", False, ""), 8: ("wide", True, "Two views, one caption.")},
)  # fmt: skip
_FIRST_GROUP = {2: "full", 4: "text", 5: "full"}  # run: layout


def build_seed_essay(
    slug: str = "seed",
    photos: int = SEED_PHOTOS,
    layouts: bool = True,
    mood: str = "paper",
    pending: int = 0,
) -> Story:
    """The seed-size essay, its first photo its cover; rows only, as build_essay
    (write_renditions gives them their files). ``layouts``: set as a photographer would, under
    a cover header; otherwise today's single column of wide photos, the reference."""
    story = build_essay(photos=photos, comments=12, slug=slug, shape=seed_shape, pending=pending)
    Story.objects.filter(pk=story.pk).update(allow_downloads=False, mood=mood, cover_header=layouts)
    items = story.items.filter(kind=StoryItem.Kind.PHOTO).order_by("position")
    for n, item in enumerate(items if layouts else [], 1):
        run, k = divmod(n - 1, len(SEED_SHAPES))
        pattern = _RUNS[run % 2]
        item.layout, item.group_with_next, item.group_caption = pattern.get(
            k + 1, ("wide", False, "")
        )
        first_group = range(2, 4) if run % 2 == 0 else range(2, 6)
        if run in _FIRST_GROUP and k + 1 in first_group:
            item.layout = _FIRST_GROUP[run]
        item.save()
    return Story.objects.get(pk=story.pk)


def write_renditions(*stories: Story, formats: tuple[str, ...] | None = None) -> int:
    """Write the file of every rendition row of the ``stories``' photos into the default
    storage (on disk), encoded as the pipeline encodes, and record its size; the bytes written.
    Photo N of each essay looks the same (their files are links to one). ``formats``: only
    those (a browser that decodes WebP never fetches the JPEGs); None: all."""
    files = _Files()
    total = 0
    for story in stories:
        items = story.items.filter(kind=StoryItem.Kind.PHOTO).select_related("photo")
        for n, item in enumerate(items.order_by("position"), 1):
            renditions = [
                r for r in item.photo.renditions.all() if r.format in (formats or [r.format])
            ]
            for rendition in renditions:
                rendition.size_bytes = files.write(n, item.photo, rendition)
                total += rendition.size_bytes
            Rendition.objects.bulk_update(renditions, ["size_bytes"])
    return total


class _Files:
    """Rendition files cut from the sources, each source decoded once, each image encoded once."""

    def __init__(self):
        from django.core.files.storage import storages

        self.storage = storages["default"]
        self.folder = (
            Path(__file__).resolve().parent.parent / "src" / "filmstrip" / "demo" / "photos"
        )
        self.sources = {}  # name: decoded, at most 3000 px on its long side
        self.written = {}  # (shape, source, crop, format, width): its first file

    def write(self, n: int, photo: Photo, rendition: Rendition) -> int:
        from filmstrip.imaging.render import JPEG_OPTIONS, WEBP_OPTIONS
        from filmstrip.imaging.vips import pyvips

        # Photos repeat every 20: shapes every 10, sources and crops every 20.
        shape, source = (photo.width, photo.height), SOURCES[n % len(SOURCES)]
        crop = n // len(SOURCES) % CROPS
        key = (shape, source, crop, rendition.format, rendition.width)
        path = Path(self.storage.path(rendition.name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        if key in self.written:
            os.link(self.written[key], path)
            return path.stat().st_size
        if source not in self.sources:
            decoded = pyvips.Image.thumbnail(str(self.folder / source), 3000, height=3000)
            self.sources[source] = decoded.copy_memory()
        region = _crop(self.sources[source], shape, crop)
        image = region.thumbnail_image(rendition.width, height=rendition.height, size="force")
        if rendition.format == "webp":
            data = image.webpsave_buffer(Q=filmstrip_settings.QUALITY["webp"], **WEBP_OPTIONS)
        else:
            data = image.jpegsave_buffer(Q=filmstrip_settings.QUALITY["jpeg"], **JPEG_OPTIONS)
        path.write_bytes(data)
        self.written[key] = str(path)
        return len(data)


def _crop(image, shape: tuple[int, int], crop: int):
    """The largest region of ``image`` in ``shape``'s proportions; ``crop`` moves it along."""
    aspect = shape[0] / shape[1]
    width = min(image.width, round(image.height * aspect))
    height = min(image.height, round(width / aspect))
    share = crop / max(1, CROPS - 1)
    left, top = round((image.width - width) * share), round((image.height - height) * share)
    return image.crop(left, top, width, height)
