"""Absolute addresses on this site: the one place that puts SITE_URL (FILMSTRIP_SITE_URL)
in front of a path.

Never the host a request came in on: a page is the same bytes for every reader, and a feed,
an e-mail, a Webmention or an Akismet check names the site as it is configured.
"""

from django.conf import settings


def absolute(path: str) -> str:
    """``path`` (``/walks/``, ``/walks/#licence``, ``/media/…``) under the site's address."""
    return f"{settings.SITE_URL}{path}"
