"""The Content-Security-Policy header, on every response.

Pages are the same bytes for every reader (shared caches keep them), so no per-request nonce is
possible: scripts are files of our own origin, and the one inline style block (the site's CSS,
inlined so the first paint needs no second request) is allowed by its hash. Style *attributes*
stay allowed: they carry each photo's placeholder colour and shape, computed on the server, and
an attribute can neither run script nor select other elements.
"""

import base64
import hashlib
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.template.loader import get_template

# The inline <style> in base.html: {% include %} of this template, byte for byte.
INLINE_STYLESHEET = "filmstrip/site.css"


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _media_origin() -> str:
    """Renditions on another host (a CDN or object storage) are images we show."""
    parts = urlsplit(settings.MEDIA_URL)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


@cache
def policy() -> str:
    images = " ".join(filter(None, ["'self'", "data:", _media_origin()]))
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": f"'self' {_sha256(get_template(INLINE_STYLESHEET).render())}",
        "style-src-attr": "'unsafe-inline'",
        "img-src": images,
        "object-src": "'none'",
        "base-uri": "'none'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", policy())
        return response
