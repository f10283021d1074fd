"""An essay's photo as the essay page shows it: the picture, its lightbox link, its actions.

Written in Python rather than in the page's template: an essay has up to hundreds of photos
and is rendered again on every approved comment, and the template loop cost about 0.2 ms per
photo. Every value goes through ``escape``; ``caption_html`` was sanitised when saved.
"""

from django.utils.html import conditional_escape as escape
from django.utils.safestring import SafeString, mark_safe

from filmstrip.photos.templatetags.photos import picture, srcset

from .page import PagePhoto


def figure_html(shown: PagePhoto, comment_url: str | None) -> SafeString:
    """``shown`` as a <figure>; with a "Comment on this photo" link to ``comment_url`` unless
    None (comments closed)."""
    item, photo, large = shown.item, shown.item.photo, shown.large
    path = escape(shown.path)
    if large:
        facts = " · ".join(value for _, value in shown.facts)
        facts = f' data-facts="{escape(facts)}"' if facts else ""
        image: str = picture(
            photo, alt=item.alt_text, eager=shown.eager, priority=shown.priority,
            css_class="u-photo",
        )  # fmt: skip
        image = (
            f'<a class="zoom" href="{escape(large.url)}" data-pswp-width="{large.width}" '
            f'data-pswp-height="{large.height}" '
            f'data-pswp-srcset="{escape(srcset(photo, "webp"))}" '
            f'data-permalink="{path}"{facts}>{image}</a>'
        )
    else:
        image = picture(photo, alt=item.alt_text)
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
    return mark_safe(  # noqa: S308 (every value escaped)
        f'<figure class="photo" id="{escape(item.anchor)}">{image}'
        f'<p class="photo-actions"><a class="permalink" href="{path}">{shown.label}</a>'
        f'<span class="more"> · {" · ".join(actions)}</span></p>{caption}</figure>'
    )
