"""{% picture %}: a photo as <picture> with a srcset per format, or its placeholder."""

from django import template

from filmstrip.conf import settings

register = template.Library()

# Essay photos fill the reading column up to the layout's widest figure (see base.html's CSS).
DEFAULT_SIZES = "(min-width: 72rem) 70rem, 100vw"


@register.inclusion_tag("photos/_picture.html")
def picture(photo, alt="", sizes=DEFAULT_SIZES, eager=False, priority=False, css_class=""):
    # Renditions stay valid while a photo is processed again, so show them whatever its state.
    groups = photo.srcsets()
    # JPEG is what every browser decodes; the other formats are offered before it.
    fallback_format = "jpeg" if "jpeg" in groups else next(reversed(groups), None)
    fallback = groups.get(fallback_format, [])
    # A middle width is the src for browsers that ignore srcset.
    src = fallback[min(1, len(fallback) - 1)] if fallback else None
    sources = [
        {"type": f"image/{fmt}", "srcset": _srcset(renditions)}
        for fmt, renditions in sorted(groups.items(), key=_preference)
        if fmt != fallback_format
    ]
    return {
        "photo": photo,
        "alt": alt,
        "sizes": sizes,
        "eager": eager,
        "priority": priority,
        "css_class": css_class,
        "sources": sources,
        "src": src,
        "srcset": _srcset(fallback),
        "color": photo.placeholder_color or "#d9d6d0",
    }


@register.filter
def srcset(photo, fmt: str) -> str:
    """``photo``'s renditions in ``fmt`` as a srcset ("url 480w, ..."), for the lightbox."""
    return _srcset(photo.srcsets().get(fmt, []))


def _preference(item) -> int:
    formats = list(settings.RENDITION_FORMATS)
    return formats.index(item[0]) if item[0] in formats else len(formats)


def _srcset(renditions) -> str:
    return ", ".join(f"{r.url} {r.width}w" for r in renditions)
