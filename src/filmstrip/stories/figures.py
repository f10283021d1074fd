"""An essay's photos as the essay page shows them: each picture with its lightbox link and
actions, alone or in a row of its group (stories.grouping), drawn no taller than the screen.

Written in Python rather than in the page's template: an essay has up to hundreds of photos
and is rendered again on every approved comment, and the template loop cost about 0.2 ms per
photo. Every value goes through ``escape``; ``caption_html`` was sanitised when saved.
"""

from collections.abc import Sequence

from django.utils.html import conditional_escape as escape
from django.utils.safestring import SafeString, mark_safe

from filmstrip import layout
from filmstrip.conf import filmstrip_settings
from filmstrip.photos.templatetags.photos import picture, srcset

from .grouping import rows
from .models import Layout, StoryItem
from .page import PagePhoto


def essay_html(
    items: Sequence[StoryItem], shown: dict[int, PagePhoto], comment_url: str | None
) -> list[tuple[StoryItem, SafeString | None]]:
    """The essay's ``items`` as drawn: each passage with None, each single photo or group (by
    its first item) with its HTML. ``shown``: the photos by item number."""
    drawn: list[tuple[StoryItem, SafeString | None]] = []
    for row in rows(items):
        if not row[0].photo_id:
            drawn.append((row[0], None))
        elif len(row) == 1:
            drawn.append((row[0], figure_html(shown[row[0].pk], comment_url)))
        else:
            drawn.append((row[0], group_html([shown[i.pk] for i in row], comment_url)))
    return drawn


def ratio(shown: PagePhoto) -> float:
    """The photo's width over its height, as drawn (3:2 while its size is unknown)."""
    photo = shown.item.photo
    assert photo is not None  # a figure shows a photo
    return photo.width / photo.height if photo.width and photo.height else 1.5


def _layout(item: StoryItem) -> str:
    # A value the model does not know (the database refuses one) is drawn as the default.
    return item.layout if item.layout in Layout.values else Layout.WIDE


def _layout_class(name: str) -> str:
    return "" if name == Layout.WIDE else f" layout-{name}"


def group_html(row: list[PagePhoto], comment_url: str | None) -> SafeString:
    """A group's photos in one row of equal height: each photo's share of the row is its
    aspect ratio's share of theirs. Under the row, the group's shared caption, if any."""
    first, ratios = row[0].item, [ratio(shown) for shown in row]
    name, total = _layout(first), sum(ratios)
    figures = "".join(
        figure_html(
            shown, comment_url, sizes=layout.photo_sizes(name, r, total, len(row)), grouped=True
        )
        for shown, r in zip(row, ratios, strict=True)
    )
    css = f"group{_layout_class(name)}{' stacks' if total > layout.ROW_ON_PHONE else ''}"
    style = f"--r:{total:.4g};--n:{len(row)}"
    if first.group_caption_html:
        caption = f'<figcaption class="group-caption">{first.group_caption_html}</figcaption>'
        return mark_safe(f'<figure class="{css}" style="{style}">{figures}{caption}</figure>')  # noqa: S308
    return mark_safe(f'<div class="{css}" style="{style}">{figures}</div>')  # noqa: S308


def cover_html(
    story, items: Sequence[StoryItem], photos: list[PagePhoto], drawn: list, comment_url
) -> tuple[SafeString | None, list]:
    """With the essay's cover header on: its cover photo across the window with the title set
    over it, and the essay as ``drawn`` (essay_html) less that photo where it opens the essay
    alone (the header shows it, actions and all). None while the cover has no renditions."""
    shown = story.cover_header and story.cover_item(photos, photo_id=lambda s: s.item.photo_id)
    if not shown or shown.large is None:
        return None, drawn
    title = f'<h1 class="p-name cover-title">{escape(story.title)}</h1>'
    if rows(items)[0] == [shown.item]:
        return figure_html(shown, comment_url, cover=title), drawn[1:]
    r = ratio(shown)
    image = picture(
        shown.item.photo, alt="", sizes=layout.photo_sizes(Layout.FULL, r), eager=True,
        priority=True,
    )  # fmt: skip
    return mark_safe(f'<div class="cover" style="--r:{r:.4g}">{image}{title}</div>'), drawn  # noqa: S308


def figure_html(
    shown: PagePhoto,
    comment_url: str | None,
    *,
    sizes: str | None = None,
    grouped: bool = False,
    cover: str = "",
) -> SafeString:
    """``shown`` as a <figure>; with a "Comment on this photo" link to ``comment_url`` unless
    None (comments closed). Alone it is drawn in its layout; ``grouped``, in its row, at the
    width ``sizes`` says; as the essay's ``cover`` (the title's HTML), across the window with
    the title over it."""
    item, photo, large = shown.item, shown.item.photo, shown.large
    r = ratio(shown)
    name = Layout.FULL if cover else _layout(item)
    css = "" if grouped else _layout_class(name) + (" cover" if cover else "")
    sizes = sizes or layout.photo_sizes(name, r)
    path = escape(shown.path)
    if large:
        facts = " · ".join(value for _, value in shown.facts)
        facts = f' data-facts="{escape(facts)}"' if facts else ""
        image: str = picture(
            photo, alt=item.alt_text, sizes=sizes, eager=shown.eager, priority=shown.priority,
            css_class="u-photo",
        )  # fmt: skip
        image = (
            f'<a class="zoom" href="{escape(large.url)}" data-pswp-width="{large.width}" '
            f'data-pswp-height="{large.height}" '
            f'data-pswp-srcset="{escape(srcset(photo, "webp"))}" '
            f'data-permalink="{path}"{facts}>{image}</a>'
        )
    else:
        image = picture(photo, alt=item.alt_text, sizes=sizes)
    if cover:
        image = f'<div class="cover-frame">{image}{cover}</div>'
    # "Photo N" always shows; the other actions show on hover or keyboard focus (the page's CSS),
    # so they do not repeat under every photo on a phone, where the photo page offers them all.
    actions = []
    if comment_url is not None:
        actions.append(
            f'<a class="photo-comment" href="{escape(comment_url)}?photo={item.photo_id}" '
            f'data-photo="{item.photo_id}">Comment on this photo</a>'
        )
    actions.append(f'<a class="use" href="{path}#use">Use this photo</a>')
    if item.licence_url:
        actions.append(f'<a rel="license" href="{escape(item.licence_url)}">Licence</a>')
    if shown.offers_original:
        actions.append(
            f'<a class="original" href="{escape(shown.original_path)}" download>Original</a>'
        )
    caption = f"<figcaption>{item.caption_html}</figcaption>" if item.caption_html else ""
    # Alone, a photo is never drawn wider than its widest rendition (a small original's is
    # narrower than the site's widest): its number and caption line up with that width.
    style = f"--r:{r:.4g}"
    if large and not grouped and large.width < max(filmstrip_settings.RENDITION_WIDTHS):
        style += f";--largest:{large.width}px"
    return mark_safe(  # noqa: S308 (every value escaped)
        f'<figure class="photo{css}" id="{escape(item.anchor)}" style="{style}">{image}'
        f'<p class="photo-actions"><a class="permalink" href="{path}">{shown.label}</a>'
        f'<span class="more"> · {" · ".join(actions)}</span></p>{caption}</figure>'
    )
