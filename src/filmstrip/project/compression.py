"""Compress static files on the way out.

WhiteNoise serves pre-compressed files only after `collectstatic`; Filmstrip serves its few
static files straight from the finders (no build step), so they are compressed here instead.
Only static files: pages that carry a CSRF token must not be compressed (BREACH), and public
pages are compressed by their own views (stories.views.public_page).
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware


class StaticGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not request.path.startswith(settings.STATIC_URL):
            return response
        return super().process_response(request, response)
