"""One WordPress post as an essay: its state, dates, author, tags and ordered items, created or
brought up to date, and what the import remembers of it (models.ImportedPost)."""

import hashlib
import html
import json
from datetime import datetime
from itertools import groupby
from typing import TYPE_CHECKING
from urllib.parse import unquote

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify

from filmstrip.columns import clip
from filmstrip.legacy import links
from filmstrip.stories import publishing
from filmstrip.stories.grouping import MAX_GROUP
from filmstrip.stories.models import RESERVED_SLUGS, Story, StoryItem, Tag, unique_slug

from ..models import ImportedPost, MissingMedia
from .records import Item, PhotoBlock, TextBlock
from .report import label as _label

if TYPE_CHECKING:
    from .importer import Run

DRAFT, PUBLISHED = Story.Status.DRAFT, Story.Status.PUBLISHED
# WordPress states that are a post's life, and what each becomes here.
STATES = {"publish": PUBLISHED, "future": PUBLISHED, "draft": DRAFT, "pending": DRAFT,
          "private": DRAFT}  # fmt: skip


def import_post(run: "Run", item: Item) -> None:
    """Create, update or leave the essay of ``item``, then take in its new comments."""
    name = _label(item)
    if item.status not in STATES:
        run.report.count("essays", "skipped")
        run.report.problem(name, f"its state is “{item.status}”: not imported")
        return
    record = run.imported(item)
    if record is None:
        story = _create(run, item)
    elif record.story is None:
        if not run.overwrite:
            run.report.count("essays", "skipped")
            run.report.problem(name, "deleted here since it was imported (--overwrite imports it)")
            return
        story = _create(run, item, record)
    else:
        story = _refresh(run, item, record)
    run.comments(story, item)


def _create(run: "Run", item: Item, record: ImportedPost | None = None) -> Story:
    status, when = _state(run, item)
    story = Story.objects.create(
        title=_title(item),
        slug=_free_slug(item),
        author=_author(run, item),
        comments_open=item.comment_status == "open",
        excerpt=_excerpt(item),
        status=DRAFT,
    )
    _fill(run, story, item)
    if status == PUBLISHED:
        publishing.publish(story, when=when, quietly=True)
        modified = item.modified_gmt
        if modified and story.published_at and modified > story.published_at:
            story.updated_at = modified
            Story.objects.filter(pk=story.pk).update(updated_at=modified)
    _remember(run, item, story, record)
    run.report.count("essays", "created")
    return story


def _refresh(run: "Run", item: Item, record: ImportedPost) -> Story:
    """Bring the essay up to date with a newer version of the post, unless edited here."""
    story = record.story
    assert story is not None
    edited = record.fingerprint != fingerprint(story)
    newer = bool(
        item.modified_gmt
        and (record.modified_gmt is None or item.modified_gmt > record.modified_gmt)
    )
    if edited and not run.overwrite:
        if newer:
            run.report.count("essays", "skipped")
            run.report.problem(
                _label(item),
                "changed in WordPress, and edited here since the last import: kept as edited "
                "here (--overwrite replaces it)",
            )
        else:
            run.report.count("essays", "unchanged")
        _fill_missing(run, story, item)
        return story
    if not (newer or edited):
        if _fill_missing(run, story, item):
            record.fingerprint = fingerprint(story)
            record.save(update_fields=["fingerprint", "imported_at"])
        else:
            run.report.count("essays", "unchanged")
        return story
    _update(run, item, story)
    _remember(run, item, story, record)
    run.report.count("essays", "updated")
    return story


def _update(run: "Run", item: Item, story: Story) -> None:
    status, when = _state(run, item)
    story.title = _title(item)
    story.author = _author(run, item)
    story.comments_open = item.comment_status == "open"
    story.excerpt = _excerpt(item)
    story.save()
    story.items.all().delete()  # a photo shown again is kept: see photos.removal
    story.missing_media.all().delete()
    _fill(run, story, item)
    if status == DRAFT:
        if story.status == PUBLISHED:
            publishing.unpublish(story)
    elif story.status == PUBLISHED and story.published_at == when:
        publishing.changed(story, when=item.modified_gmt, quietly=True)
    else:
        publishing.publish(story, when=when, quietly=True)


def _state(run: "Run", item: Item) -> tuple[str, datetime | None]:
    """The essay's state and moment: WordPress's published and scheduled posts are published
    (for now or for later) at their date; the rest are drafts, and a draft has no moment."""
    if item.password:
        run.report.problem(_label(item), "password-protected in WordPress: imported as a draft")
        return DRAFT, None
    if item.status == "private":
        run.report.problem(_label(item), "private in WordPress: imported as a draft")
    status = STATES[item.status]
    if status == DRAFT:
        return DRAFT, None
    when = item.date_gmt
    if when is None and item.date is not None:
        when = timezone.make_aware(item.date)  # written in the site's own zone
    return PUBLISHED, when or timezone.now()


def _title(item: Item) -> str:
    # WordPress keeps entities and inline markup in titles; the page escapes what it shows.
    return clip(Story, "title", strip_tags(html.unescape(item.title)).strip()) or "Untitled"


def _excerpt(item: Item) -> str:
    """The post's hand-written excerpt as plain text (WordPress keeps it as HTML)."""
    return " ".join(html.unescape(strip_tags(item.excerpt)).split())


def _free_slug(item: Item) -> str:
    """The post's own slug where it is free here, so the new address reads like the old."""
    wanted = slugify(unquote(item.slug), allow_unicode=True)
    wanted = clip(Story, "slug", wanted)
    if wanted and wanted not in RESERVED_SLUGS and not Story.objects.filter(slug=wanted).exists():
        return wanted
    return unique_slug(wanted or _title(item))


def _author(run: "Run", item: Item):
    """The account of the post's author: the one with the same username, else a new one that
    cannot sign in until given a password."""
    if not item.creator:
        return None
    User = get_user_model()
    login = clip(User, "username", item.creator)
    user = User.objects.filter(username=login).first()
    if user is not None:
        return user
    known = next((a for a in run.site.authors if a.login == item.creator), None)
    user = User(username=login)
    if known is not None:
        user.first_name = clip(User, "first_name", known.first_name or known.display_name)
        user.last_name = clip(User, "last_name", known.last_name)
        user.email = clip(User, "email", known.email)
    user.set_unusable_password()
    user.save()
    return user


def _fill(run: "Run", story: Story, item: Item) -> None:
    """The essay's tags and items, in the post's order; a photo whose file is missing keeps
    its place (MissingMedia) for a later run to fill."""
    story.tags.set(_tags(item))
    shown: set[int] = set()
    assert run.conversion is not None  # made before the post's transaction
    placed: list[tuple[PhotoBlock, StoryItem]] = []
    for position, block in enumerate(run.conversion.blocks):
        if isinstance(block, TextBlock):
            StoryItem.objects.create(
                story=story, position=position, kind=StoryItem.Kind.TEXT, body=block.markdown
            )
        elif made := _place(run, story, item, block, position, shown):
            placed.append((block, made))
    _group_galleries(placed)
    first = story.items.photos().first()
    story.cover = first.photo if first else None
    story.save(update_fields=["cover", "modified_at"])


# How many columns WordPress shows a gallery in when it does not say.
GALLERY_COLUMNS = 3


def _group_galleries(placed: list[tuple[PhotoBlock, StoryItem]]) -> None:
    """Each gallery's photos in rows as WordPress showed them, each row a group: as many as
    its columns (WordPress's default where it does not say), at most a group's MAX_GROUP."""
    joined = []
    for gallery, grouped in groupby(placed, key=lambda placed: placed[0].group):
        photos = list(grouped)
        width = min(photos[0][0].columns or GALLERY_COLUMNS, MAX_GROUP)
        if gallery is None or width < 2:
            continue
        for start in range(0, len(photos), width):
            joined += [made.pk for _, made in photos[start : start + width][:-1]]
    StoryItem.objects.filter(pk__in=joined).update(group_with_next=True)


def _place(run, story, item, block: PhotoBlock, position: int, shown: set[int]) -> StoryItem | None:
    photo, reason = run.photo(block.attachment_id, block.url)
    if photo is None:
        if reason:
            gap = MissingMedia.objects.create(
                story=story,
                position=position,
                attachment_id=block.attachment_id,
                url=block.url[:2000],
                caption=block.caption,
                alt_text=block.alt,
                reason=reason[:300],
            )
            run.report.count("photos", "missing")
            run.report.problem(_label(item), f"{gap.name}: {reason}")
        return None
    if photo.pk in shown:
        run.report.problem(_label(item), f"{photo.original_filename} is shown twice: once here")
        return None
    shown.add(photo.pk)
    _remember_photo(run, story, photo, block)
    # What the WordPress site says of the photo wins over what the file says.
    return StoryItem.objects.create(
        story=story,
        position=position,
        kind=StoryItem.Kind.PHOTO,
        photo=photo,
        caption=block.caption or photo.file_caption,
        alt_text=block.alt or photo.file_alt_text,
    )


def _remember_photo(run: "Run", story: Story, photo, block: PhotoBlock) -> None:
    """The photo's old page and files lead to its page and file here."""
    attachment = run.attachments.get(block.attachment_id) if block.attachment_id else None
    if attachment is None:
        links.remember(block.url, story, photo=photo, file=True)
        return
    files = [attachment.url, block.url]
    links.remember_attachment(
        photo, story, attachment_id=attachment.id, link=attachment.link, file_urls=files
    )


def _fill_missing(run: "Run", story: Story, item: Item) -> int:
    """Put the photos found now into the places kept for them; returns how many."""
    filled = 0
    shown = set(story.items.photos().values_list("photo_id", flat=True))
    for gap in story.missing_media.all():
        block = PhotoBlock(gap.attachment_id, gap.url, gap.caption, gap.alt_text)
        if _place(run, story, item, block, gap.position, shown):
            filled += 1
            run.report.count("photos", "filled in")
        gap.delete()  # put in its place, or kept again as missing by _place
    if filled:
        story.keep_cover() if story.cover_id else _first_cover(story)
        if story.is_published:  # the import's gap, not a change: WordPress's dates stay
            publishing.changed(story, when=story.updated_at or story.published_at, quietly=True)
    return filled


def _first_cover(story: Story) -> None:
    first = story.items.photos().first()
    if first is not None:
        story.cover = first.photo
        story.save(update_fields=["cover", "modified_at"])


def _tags(item: Item) -> list[Tag]:
    tags = []
    for term in item.tags:
        name = clip(Tag, "name", html.unescape(term.name).strip())
        slug = clip(Tag, "slug", slugify(unquote(term.slug) or name, allow_unicode=True))
        if not name:
            continue
        tag = Tag.objects.filter(slug=slug).first() if slug else None
        tag = tag or Tag.objects.filter(name=name).first()
        tag = tag or Tag.objects.create(name=name, slug=slug)
        links.remember_term(tag, taxonomy=term.domain, slug=unquote(term.slug) or tag.slug)
        tags.append(tag)
    return tags


def _remember(run: "Run", item: Item, story: Story, record: ImportedPost | None) -> None:
    """Remember the post (for the next run) and every address it had (for its readers)."""
    links.remember_post(
        story,
        post_id=item.id,
        link=item.link,
        slug=unquote(item.slug),
        date=item.date.date() if item.date else None,
        old_slugs=[unquote(slug) for slug in item.old_slugs],
    )
    record = record or ImportedPost(site=run.key, post_id=item.id)
    record.story = story
    record.post_type = item.type[:20]
    record.modified_gmt = item.modified_gmt
    record.excerpt = item.excerpt
    record.fingerprint = fingerprint(story)
    record.save()


def fingerprint(story: Story) -> str:
    """What the author could change of an essay, as one digest: a different digest than the
    import left means the essay was edited here."""
    story = Story.objects.get(pk=story.pk)
    facts = [
        story.title,
        story.slug,
        story.intro,
        story.status,
        story.published_at.isoformat() if story.published_at else None,
        story.comments_open,
        sorted(story.tags.values_list("slug", flat=True)),
        list(
            story.items.values_list("position", "kind", "photo_id", "caption", "alt_text", "body")
        ),
        list(story.missing_media.values_list("position", "attachment_id", "url")),
    ]
    if story.excerpt:  # only then: the digests of essays imported before it was kept hold
        facts.append(story.excerpt)
    return hashlib.sha256(json.dumps(facts, default=str).encode()).hexdigest()
