"""A configuration for Debian's nginx in front of `filmstrip serve` (``filmstrip nginx-config``).

nginx sends what is the same for every reader straight from disk: the published site (pages and
feeds written by filmstrip.published, with their .br/.gz siblings), the renditions of published
photos (copied beside them, so a draft's renditions in MEDIA_ROOT are never within nginx's reach)
and the static files. Everything else, and anything without a file, goes to `filmstrip serve`
through a buffering proxy, so slow clients cost nginx a connection instead of a Python thread.
"""

import os
import pwd
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

from filmstrip.conf import filmstrip_settings
from filmstrip.project.csp import policy
from filmstrip.published import layout
from filmstrip.published.serving import RENDITION_CACHE, TRACKING

# Where Debian's libnginx-mod-http-brotli-static puts the module; Debian's nginx.conf loads it
# through /etc/nginx/modules-enabled/ once the package is installed.
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")

# The published documents' types and names, as filmstrip.published lays them out: an address
# ending in "/" is a document named index.<type> in its folder, the first that exists.
DOCUMENT_TYPES = {
    ext.lstrip("."): content_type.split(";")[0]
    for ext, content_type in layout.CONTENT_TYPES.items()
}
INDEX_FILES = ("index.html", *dict.fromkeys(layout.FEED_FILES.values()))
ROOT_FILES = tuple(sorted(layout.TOP_FILES))
# The shared-cache lifetime of public pages (FILMSTRIP_SHARED_CACHE_SECONDS), as Django sends it.
DOCUMENT_CACHE = "public, max-age=0, s-maxage={s_maxage}"
# WhiteNoise's default for static files whose names carry no hash, as Django sends them today.
STATIC_CACHE = "max-age=60, public"
# Addresses nginx must not look up on disk: encoded slashes, backslashes or dots, NUL, `..`, `//`,
# hidden names and more than 1024 bytes before the query. Django answers them as it always has.
# ACME challenges are not hidden names: certbot adds a location for them when it fetches a
# certificate, which must be reached.
UNSAFE_PATH = r"~*^[^?]*(%2f|%5c|%2e|%00|\x5c|/\.(?!well-known/acme-challenge/)|//)|^[^?]{1025}"


@dataclass(frozen=True)
class Options:
    server_name: str
    listen: str
    upstream: str
    brotli: bool


def defaults() -> Options:
    """The site's own address, and where `filmstrip serve` listens by default."""
    host = os.environ.get("HOST") or "127.0.0.1"
    port = os.environ.get("PORT") or "8000"
    upstream = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return Options(
        server_name=urlsplit(settings.SITE_URL).hostname or "_",
        listen="80",
        upstream=upstream,
        brotli=BROTLI_MODULE.exists(),
    )


def published_dir() -> Path:
    return Path(settings.FILMSTRIP_PUBLISHED_DIR)


def security_headers() -> dict[str, str]:
    """The headers Django's middleware adds to every page, for the pages nginx sends itself."""
    headers = {"Content-Security-Policy": policy()}
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers["X-Content-Type-Options"] = "nosniff"
    if settings.SECURE_REFERRER_POLICY:
        headers["Referrer-Policy"] = settings.SECURE_REFERRER_POLICY
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers["Cross-Origin-Opener-Policy"] = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY
    headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    if settings.SECURE_HSTS_SECONDS:
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        hsts += "; includeSubDomains" if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS else ""
        hsts += "; preload" if settings.SECURE_HSTS_PRELOAD else ""
        headers["Strict-Transport-Security"] = hsts
    return headers


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _headers(cache_control: str, *, indent: str = "        ") -> str:
    headers = {"Cache-Control": cache_control, **security_headers()}
    return "\n".join(
        f"{indent}add_header {name} {_quoted(value)};" for name, value in headers.items()
    )


def _body_limit() -> str:
    """Django's own limit on a request body (the studio sends photos in 1 MB chunks below it)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return f"{-(-limit // 1024)}k" if limit else "0"


def _request_timeout() -> int:
    """A little more than `filmstrip serve` gives a request, so that its own limit speaks first."""
    seconds = os.environ.get("FILMSTRIP_REQUEST_TIMEOUT_SECONDS", "")
    return int(seconds) + 10 if seconds.isdigit() and int(seconds) else 130


def config(options: Options) -> str:
    published = published_dir()
    static = Path(settings.STATIC_ROOT)
    document_cache = DOCUMENT_CACHE.format(s_maxage=filmstrip_settings.SHARED_CACHE_SECONDS)
    brotli = (
        "brotli_static on;"
        if options.brotli
        else ("# brotli_static on;  # after: apt-get install libnginx-mod-http-brotli-static")
    )
    types = "\n".join(f"            {kind} {ext};" for ext, kind in DOCUMENT_TYPES.items())
    charset_types = " ".join(sorted(set(DOCUMENT_TYPES.values()) - {"text/html"}))  # html: always
    tracking = "~*^((" + "|".join(TRACKING) + ")[^&]*(&|$))*$"
    https = ""
    if settings.SECURE_SSL_REDIRECT:
        https = """
    # Plain HTTP: Django redirects it to HTTPS (FILMSTRIP_BEHIND_HTTPS_PROXY).
    if ($scheme = http) {
        return 418;
    }"""
    indexes = " ".join("${uri}" + name for name in INDEX_FILES)
    root_files = "|".join(name.replace(".", "\\.") for name in ROOT_FILES)
    media = ""
    if settings.MEDIA_URL.startswith("/"):  # renditions on this machine, not a CDN
        media = f"""
    # Published photos' renditions: content-addressed, so cached for good. Any other (a draft's,
    # or one not copied yet) goes to Django, which asks who is reading.
    location ^~ {settings.MEDIA_URL}r/ {{
        root {_quoted(str(published))};
        gzip_static off;
        try_files $uri @django;
{_headers(RENDITION_CACHE)}
    }}
"""
    return f"""\
# Filmstrip behind Debian's nginx, made by `filmstrip nginx-config`. Save it as
# /etc/nginx/sites-available/filmstrip, link it from /etc/nginx/sites-enabled/, then
# `nginx -t && systemctl reload nginx`. Make it again after upgrading Filmstrip or changing its
# settings: the headers below are Django's own, copied.
#
# nginx sends the published site, published photos' renditions and static files from disk,
# precompressed (.br, .gz) where a sibling exists; everything else goes to `filmstrip serve`
# ({options.upstream}) through a buffering proxy. Originals and drafts stay behind Django.

map $request_uri $filmstrip_django_only {{
    default 0;
    {_quoted(UNSAFE_PATH)} 1;
}}

map $args $filmstrip_query {{
    default 1;
    "" 0;
    {_quoted(tracking)} 0;
}}

upstream filmstrip {{
    server {options.upstream};
    keepalive 16;
}}

server {{
    listen {options.listen};
    server_name {options.server_name};
    server_tokens off;

    # Slow clients wait here, never on the application: whole headers within 10 s, and a
    # body that keeps coming.
    client_header_timeout 10s;
    client_body_timeout 20s;
    client_max_body_size {_body_limit()};
    merge_slashes on;

    gzip_static on;
    {brotli}
    gzip_vary on;
    charset utf-8;
    charset_types {charset_types};

    # Only GET and HEAD of ordinary addresses are looked up on disk; the rest is Django's.
    error_page 418 = @django;
    if ($request_method !~ ^(GET|HEAD)$) {{
        return 418;
    }}
    if ($filmstrip_django_only) {{
        return 418;
    }}
    # A query other than a tracker's (utm_…, fbclid…) is Django's: a reader sent back to their
    # comment (?comment=) must see it before the rebuild has written it.
    if ($filmstrip_query) {{
        return 418;
    }}{https}

    # An address with no file, an old one from before the move too (filmstrip.legacy answers it
    # 301), and /?p=ID (a query) are Django's.
    location / {{
        return 418;
    }}

    # A published page or feed: the address's folder holds it under its type's name.
    location ~ /$ {{
        root {_quoted(str(published))};
        types {{
{types}
        }}
        try_files {indexes} @django;
{_headers(document_cache)}
    }}

    location ~ ^/({root_files})$ {{
        root {_quoted(str(published))};
        types {{
{types}
        }}
        try_files $uri @django;
{_headers(document_cache)}
    }}
{media}
    # Static files, gathered by `filmstrip collectstatic` (again after each upgrade).
    location ^~ {settings.STATIC_URL} {{
        alias {_quoted(str(static) + "/")};
        gzip on;
        gzip_types text/css application/javascript image/svg+xml application/json;
        try_files $uri @django;
{_headers(STATIC_CACHE)}
    }}

    location @django {{
        proxy_pass http://filmstrip;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        # Whole requests in, whole answers out: a Python thread never waits on a slow client.
        proxy_request_buffering on;
        proxy_buffering on;
        proxy_read_timeout {_request_timeout()}s;
        # Pages with a CSRF token or a reader's name are not compressed (BREACH); Django
        # compresses the public ones itself.
        gzip off;
    }}
}}
"""


def unreadable(path: Path, user: str = "www-data") -> Path | None:
    """The first folder on the way to ``path`` that nginx's workers (Debian: www-data) may not
    enter: closed to other users and not theirs."""
    for folder in [*reversed(path.parents), path]:
        try:
            info = folder.stat()
        except FileNotFoundError:
            return None
        if stat.S_ISDIR(info.st_mode) and not info.st_mode & stat.S_IXOTH:
            try:
                owner = pwd.getpwuid(info.st_uid).pw_name
            except KeyError:
                owner = ""
            if owner != user:
                return folder
    return None
