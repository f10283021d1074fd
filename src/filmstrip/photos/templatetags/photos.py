"""{% picture %}: a photo as <picture> with a srcset per format, or its placeholder."""

from django import template
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe

from filmstrip import layout
from filmstrip.conf import filmstrip_settings

register = template.Library()

# Essay photos fill the reading column up to the layout's widest figure.
DEFAULT_SIZES = layout.FIGURE_SIZES


# Built in Python rather than an included template: an essay shows each of its photos this way,
# and rendering a template per photo cost a third of the page. (The line break after it is the
# one that template ended with: pages stay the same bytes.)
@register.simple_tag
def picture(
    photo, alt="", sizes=DEFAULT_SIZES, eager=False, priority=False, css_class=""
) -> SafeString:
    # Renditions stay valid while a photo is processed again, so show them whatever its state.
    groups = photo.srcsets()
    # JPEG is what every browser decodes; the other formats are offered before it.
    fallback_format = "jpeg" if "jpeg" in groups else next(reversed(groups), None)
    fallback = groups.get(fallback_format, [])
    color = esc(photo.placeholder_color or "#d9d6d0")
    thumbhash = f' data-thumbhash="{esc(photo.placeholder_hash)}"' if photo.placeholder_hash else ""
    if not fallback:
        label = esc(alt or "Photo being prepared")
        return mark_safe(  # noqa: S308 (every value escaped)
            f'<span class="photo-pending" role="img"{thumbhash} aria-label="{label}" '
            f'style="aspect-ratio:{photo.width}/{photo.height};max-width:{photo.width}px;'
            f'background-color:{color}"></span>\n'
        )
    sizes = esc(sizes)
    sources = "".join(
        f'<source type="image/{esc(fmt)}" srcset="{esc(_srcset(renditions))}" sizes="{sizes}">'
        for fmt, renditions in sorted(groups.items(), key=_preference)
        if fmt != fallback_format
    )
    # A middle width is the src for browsers that ignore srcset.
    src = fallback[min(1, len(fallback) - 1)]
    css = f' class="{esc(css_class)}"' if css_class else ""
    loading = (' fetchpriority="high"' if priority else "") if eager else ' loading="lazy"'
    return mark_safe(  # noqa: S308 (every value escaped)
        f'<picture>{sources}<img{css} src="{esc(src.url)}" srcset="{esc(_srcset(fallback))}" '
        f'sizes="{sizes}" width="{photo.width}" height="{photo.height}" alt="{esc(alt)}" '
        f'style="background-color:{color}"{thumbhash}{loading} decoding="async"></picture>\n'
    )


@register.filter
def srcset(photo, fmt: str) -> str:
    """``photo``'s renditions in ``fmt`` as a srcset ("url 480w, ..."), for the lightbox."""
    return _srcset(photo.srcsets().get(fmt, []))


def _preference(item) -> int:
    formats = list(filmstrip_settings.RENDITION_FORMATS)
    return formats.index(item[0]) if item[0] in formats else len(formats)


def _srcset(renditions) -> str:
    return ", ".join(f"{r.url} {r.width}w" for r in renditions)
