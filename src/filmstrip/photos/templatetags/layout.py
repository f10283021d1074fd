"""{% layout NAME %} and {% sizes NAME %}: the page's widths (filmstrip.layout) in templates."""

from django import template

from filmstrip import layout as page

register = template.Library()


@register.simple_tag
def layout(name: str) -> str:
    """A width or colour for the stylesheet, e.g. ``wide`` → ``70rem``."""
    return page.CSS[name]


@register.simple_tag
def sizes(name: str) -> str:
    """The ``sizes`` of a photo drawn as ``name`` (``figure``, ``cover``), for {% picture %}."""
    return page.SIZES[name]
