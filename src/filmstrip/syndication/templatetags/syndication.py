"""{% oembed_links url title %}: the <link>s announcing the oEmbed endpoint for a page."""

from django import template

from ..oembed import oembed_links as links

register = template.Library()


@register.simple_tag
def oembed_links(page_url: str, title: str):
    return links(page_url, title)
