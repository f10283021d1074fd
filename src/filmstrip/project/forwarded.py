"""Forwarded headers believed only from a trusted proxy, for `filmstrip serve` (wsgi.py).

Behind the HTTPS proxy, ``X-Forwarded-Proto: https`` tells Django the reader came over HTTPS
(``SECURE_PROXY_SSL_HEADER``). Anyone who reaches a web process directly could send it too, and
be treated as secure: no redirect to HTTPS, secure cookies handed over plain HTTP. So, as for
``X-Forwarded-For`` (filmstrip.limits.clients), the headers a proxy writes about the connection
are dropped unless the connection comes from one of ``FILMSTRIP_TRUSTED_PROXIES``. Outermost,
so that the published files sent before Django see the same request Django would.
"""

from django.conf import settings

from filmstrip.limits.clients import from_trusted_proxy

# What a proxy says about the reader's connection: scheme, host and port (X-Forwarded-For is
# read with its own rules by filmstrip.limits.clients and may stay).
FORWARDED = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT")


class TrustedForwarding:
    """WSGI middleware: the proxy's headers about the connection from a trusted proxy only."""

    def __init__(self, app):
        self.app = app
        header = settings.SECURE_PROXY_SSL_HEADER
        self.names = {*FORWARDED, "HTTP_FORWARDED", *([header[0]] if header else [])}

    def __call__(self, environ, start_response):
        if not from_trusted_proxy(environ.get("REMOTE_ADDR")):
            for name in self.names.intersection(environ):
                del environ[name]
        return self.app(environ, start_response)
