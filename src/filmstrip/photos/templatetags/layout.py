"""{% layout NAME %} and {% sizes NAME %}: the page's widths (filmstrip.layout) in templates."""

from django import template

from filmstrip import layout as page
from filmstrip.conf import filmstrip_settings

register = template.Library()


@register.simple_tag
def layout(name: str) -> str:
    """A width or colour for the stylesheet, e.g. ``wide`` → ``70rem``."""
    return page.CSS[name]


@register.simple_tag
def sizes(name: str) -> str:
    """The ``sizes`` of a photo drawn as ``name`` (``figure``, ``cover``), for {% picture %}."""
    return page.SIZES[name]


@register.simple_tag
def largest_rendition() -> str:
    """The widest rendition made, as a CSS width: no photo is drawn wider (it would be
    stretched past its pixels on a large screen)."""
    return f"{max(filmstrip_settings.RENDITION_WIDTHS)}px"
