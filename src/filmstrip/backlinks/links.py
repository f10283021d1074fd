"""Links in HTML, pure functions: what a page links to, and where a page takes its notices.

- :func:`mentions` answers the receiver's question: does the fetched source really link to the
  target? Every element that references a URL counts (a link, an image, a video, a quotation's
  ``cite``), each resolved against the page's URL (or its ``<base href>``).
- :func:`outbound_links` is the sender's: which other sites does an essay link to?
- :func:`endpoint` discovers a page's Webmention or Pingback endpoint: the HTTP ``Link`` header
  (``X-Pingback`` for Pingback) first, then the first ``<link>`` or ``<a>`` in document order,
  resolved against the page's final URL, as the Webmention Recommendation orders.
"""

from collections.abc import Iterable, Iterator
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup

HTML_TYPES = {"text/html", "application/xhtml+xml"}
# Elements and the attributes by which they link to (or embed) another resource.
LINKING = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "blockquote": ("cite",),
    "q": ("cite",),
    "ins": ("cite",),
    "del": ("cite",),
}
WEBMENTION_RELS = {"webmention", "http://webmention.org/", "http://webmention.org"}
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
DEFAULT_PORTS = {"http": 80, "https": 443}


def host_port(url_or_host: str, scheme: str = "http") -> tuple[str, int] | None:
    """``(host, port)`` of a URL, or of ``host[:port]`` as a request names it."""
    if "//" not in url_or_host:
        url_or_host = f"{scheme}://{url_or_host}"
    try:
        parts = urlsplit(url_or_host)
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return None
    if not parts.hostname or port is None:
        return None  # no host, or a scheme with no default port: not a web address
    return (parts.hostname.lower().rstrip("."), port)


def decode(content: bytes, charset: str | None) -> str:
    """Bytes as text in the declared charset (UTF-8 when none, or an unknown one, is declared)."""
    try:
        return content.decode(charset or "utf-8", errors="replace")
    except LookupError:
        return content.decode("utf-8", errors="replace")


def parse_html(content: bytes | str, charset: str | None = None) -> BeautifulSoup:
    if isinstance(content, bytes):
        return BeautifulSoup(content, "html.parser", from_encoding=charset)
    return BeautifulSoup(content, "html.parser")


def document_url(soup: BeautifulSoup, url: str) -> str:
    """The URL relative references resolve against: the first ``<base href>``, else ``url``."""
    base = soup.find("base", href=True)
    return urljoin(url, str(base["href"]).strip()) if base else url


def referenced_urls(soup: BeautifulSoup, url: str) -> Iterator[str]:
    """Every absolute URL the document links to or embeds, in document order."""
    base = document_url(soup, url)
    for element in soup.find_all(LINKING.keys()):
        for attribute in LINKING[element.name]:
            value = element.get(attribute)
            if not isinstance(value, str) or not value.strip():
                continue
            if attribute == "srcset":
                candidates = [c.strip().split()[0] for c in value.split(",") if c.strip()]
            else:
                candidates = [value.strip()]
            for candidate in candidates:
                yield urljoin(base, candidate)


def normalise(url: str) -> str:
    """A URL in one spelling: scheme and host lower-case, default port dropped, path escaped."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    if port and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    path = quote(unquote(parts.path or "/"), safe=_PATH_SAFE)
    fragment = quote(unquote(parts.fragment), safe=_PATH_SAFE + "?")
    return urlunsplit((scheme, host, path, parts.query, fragment))


def mentions(content: bytes, url: str, target: str, content_type: str, charset=None) -> bool:
    """Whether the document fetched from ``url`` links to ``target``."""
    wanted = normalise(target)
    if content_type in HTML_TYPES:
        soup = parse_html(content, charset)
        return any(normalise(found) == wanted for found in referenced_urls(soup, url))
    if content_type.startswith("text/") or content_type.endswith(("json", "+xml", "/xml")):
        return target in decode(content, charset)  # plain text names the URL as it is
    return False


def outbound_links(fragments: Iterable[str], own: set[tuple[str, int]]) -> list[str]:
    """The http(s) links in these HTML fragments that lead to other sites (``own`` are the
    ``(host, port)`` this site answers on), first seen first."""
    found: dict[str, None] = {}
    for fragment in fragments:
        for element in parse_html(fragment).find_all("a", href=True):
            href = str(element["href"]).strip()
            if not href.lower().startswith(("http://", "https://")):
                continue
            where = host_port(href)
            if where is not None and where not in own:
                found.setdefault(href, None)
    return list(found)


def parse_link_header(value: str) -> list[tuple[str, dict[str, str]]]:
    """An HTTP ``Link`` header (RFC 8288) as ``(uri-reference, parameters)`` pairs."""
    links, position = [], 0
    while (start := value.find("<", position)) >= 0:
        end = value.find(">", start)
        if end < 0:
            break
        params, position = _parameters(value, end + 1)
        links.append((value[start + 1 : end].strip(), params))
    return links


def _parameters(value: str, position: int) -> tuple[dict[str, str], int]:
    """The ``; name=value`` parameters from ``position`` up to the next top-level comma."""
    pieces: list[str] = []
    current: list[str] = []
    quoted = False
    while position < len(value):
        char = value[position]
        if char == '"':
            quoted = not quoted
        elif char == "\\" and quoted and position + 1 < len(value):
            position += 1
            char = value[position]
        elif char == "," and not quoted:
            break
        elif char == ";" and not quoted:
            pieces.append("".join(current))
            current = []
            position += 1
            continue
        current.append(char)
        position += 1
    pieces.append("".join(current))
    params: dict[str, str] = {}
    for piece in pieces:
        name, _, raw = piece.partition("=")
        if name.strip():
            params.setdefault(name.strip().lower(), raw.strip().strip('"'))
    return params, position + 1


def _rels(value) -> set[str]:
    if isinstance(value, str):
        value = value.split()
    return {rel.lower() for rel in value or ()}


def endpoint(
    page_url: str, headers, content: bytes, content_type: str, protocol: str, charset=None
) -> str | None:
    """The absolute URL of the page's ``protocol`` ("webmention" or "pingback") endpoint."""
    if protocol == "webmention":
        for header in headers.getlist("Link") if hasattr(headers, "getlist") else []:
            for uri, params in parse_link_header(header):
                if _rels(params.get("rel")) & WEBMENTION_RELS:
                    return urljoin(page_url, uri)
        rels, tags = WEBMENTION_RELS, ["link", "a"]
    else:
        if headers.get("X-Pingback", "").strip():
            return urljoin(page_url, headers["X-Pingback"].strip())
        rels, tags = {"pingback"}, ["link"]
    if content_type not in HTML_TYPES:
        return None
    for element in parse_html(content, charset).find_all(tags):
        if element.has_attr("href") and _rels(element.get("rel")) & rels:
            return urljoin(page_url, str(element["href"]).strip())
    return None
