"""Every outbound request of the backlinks app, guarded against server-side request forgery.

A URL given to us by a stranger (a Webmention's source, a linked site's endpoint) must not make
Filmstrip reach into its own machine or network. So :func:`fetch`

- takes only ``http`` and ``https`` URLs (any port);
- resolves the host name itself and refuses it if *any* of its addresses is loopback, private,
  link-local (cloud metadata), multicast, unspecified, reserved or shared (CGNAT), also when
  wrapped in an IPv6 form (see :mod:`.network`); ``FILMSTRIP_FETCH_ALLOW_NETWORKS`` exempts
  networks, for tests and intranets;
- connects to the address it vetted, never resolving the name again, so a DNS answer that
  changes between the check and the connection (DNS rebinding) gains nothing; TLS still checks
  the certificate against the host name;
- follows at most ``FILMSTRIP_FETCH_MAX_REDIRECTS`` redirects, vetting each new host;
- gives up after ``FILMSTRIP_FETCH_TIMEOUT_SECONDS`` in all (name lookup, connecting, reading,
  every redirect) and stops reading past ``FILMSTRIP_FETCH_MAX_BYTES``; a caller fetching
  something larger than a web page (an importer's photos) passes its own bounds.

Proxies from the environment are ignored: a proxy would connect on our behalf, unvetted.
"""

import contextlib
import ipaddress
import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as LookupTimeout
from dataclasses import dataclass
from email.message import Message
from typing import BinaryIO
from urllib.parse import quote, urljoin, urlsplit

import urllib3
from django.conf import settings as django_settings

from filmstrip.conf import filmstrip_settings

from .links import decode
from .network import IPAddress, connectable, parse_networks, refusal

REDIRECTS = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024
_URL_SAFE = "/%:@!$&'()*+,;=-._~"
# Name lookups cannot be given a time-out, so they run in threads and are abandoned when too
# slow. One pool per process: a pool's threads do not survive a fork.
_lookups: tuple[int, ThreadPoolExecutor] | None = None


class FetchError(Exception):
    """The URL could not be fetched; the message says why, for a person to read."""


class Forbidden(FetchError):
    """The URL leads somewhere Filmstrip must not go (scheme, or a non-public address)."""


@dataclass
class Response:
    url: str  # after redirects
    status: int
    headers: urllib3.HTTPHeaderDict
    content: bytes  # b"" when the body was written to the caller's file instead
    truncated: bool  # more was sent than the byte bound; the rest was not read

    @property
    def content_type(self) -> str:
        return self._content_type().get_content_type()

    @property
    def charset(self) -> str | None:
        charset = self._content_type().get_param("charset")
        return charset if isinstance(charset, str) else None  # a tuple only for RFC 2231 forms

    def _content_type(self) -> Message:
        message = Message()
        message["Content-Type"] = self.headers.get("Content-Type", "application/octet-stream")
        return message

    @property
    def text(self) -> str:
        return decode(self.content, self.charset)


@dataclass(frozen=True)
class _Budget:
    """What one fetch may spend, redirects included, and where its body goes."""

    deadline: float  # time.monotonic() when it gives up
    seconds: float
    max_bytes: int
    into: BinaryIO | None = None


def user_agent() -> str:
    return f"Filmstrip (link-back ledger; {django_settings.SITE_URL})"


def fetch(
    url: str,
    *,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    follow_redirects: bool = True,
    timeout: float | None = None,
    max_bytes: int | None = None,
    into: BinaryIO | None = None,
) -> Response:
    """Request ``url`` under the guard; raise FetchError (or Forbidden) when it cannot be had.

    ``timeout`` and ``max_bytes`` replace the settings' bounds for this fetch; with ``into`` (a
    seekable file) the final answer's body is written there instead of held in memory.
    """
    seconds = filmstrip_settings.FETCH_TIMEOUT_SECONDS if timeout is None else timeout
    budget = _Budget(
        deadline=time.monotonic() + seconds,
        seconds=seconds,
        max_bytes=filmstrip_settings.FETCH_MAX_BYTES if max_bytes is None else max_bytes,
        into=into,
    )
    allowed = parse_networks(filmstrip_settings.FETCH_ALLOW_NETWORKS)
    redirects = 0
    while True:
        if into is not None:  # a redirect's own body is not the answer
            into.seek(0)
            into.truncate()
        response = _request(url, method, body, headers or {}, budget, allowed)
        location = response.headers.get("Location")
        if not (follow_redirects and response.status in REDIRECTS and location):
            return response
        redirects += 1
        if redirects > filmstrip_settings.FETCH_MAX_REDIRECTS:
            raise FetchError(
                f"More than {filmstrip_settings.FETCH_MAX_REDIRECTS} redirects, from {url}"
            )
        url = urljoin(url, location.strip())
        if response.status == 303 or (response.status in (301, 302) and method == "POST"):
            method, body = "GET", None


def _request(url, method, body, headers, budget: _Budget, allowed) -> Response:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise Forbidden(f"Only http and https URLs are fetched, not {url[:100]!r}")
    try:
        host, port = parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise FetchError(f"Not a valid URL: {url[:100]!r}") from exc
    if not host:
        raise FetchError(f"The URL has no host: {url[:100]!r}")
    addresses = vetted_addresses(host, port, budget.deadline, allowed)
    # The request line is ASCII: an IRI's other characters are sent percent-encoded.
    target = quote(parts.path or "/", safe=_URL_SAFE)
    if parts.query:
        target = f"{target}?{quote(parts.query, safe=_URL_SAFE + '?')}"
    netloc_host = f"[{host}]" if ":" in host else _ascii_host(host)
    default_port = port == (443 if parts.scheme == "https" else 80)
    request_headers = {
        "Host": netloc_host if default_port else f"{netloc_host}:{port}",
        "User-Agent": user_agent(),
        "Accept-Encoding": "identity",
        **headers,
    }
    last_error = None
    for address in addresses:
        try:
            return _exchange(url, address, port, method, target, body, request_headers, budget)
        except (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError) as e:
            last_error = e  # try the host's next address
    raise FetchError(f"Could not connect to {host}: {_reason(last_error)}")


def vetted_addresses(host: str, port: int, deadline: float, allowed) -> list[IPAddress]:
    """The host's addresses, all of them public (or exempted), else Forbidden."""
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        addresses = _lookup(host, port, deadline)
    for address in addresses:
        reason = refusal(address, allowed)
        if reason:
            raise Forbidden(f"{host} is not fetched: {reason}")
    unique = dict.fromkeys(connectable(address) for address in addresses)
    return list(unique)


def _lookup(host: str, port: int, deadline: float) -> list[IPAddress]:
    name = _ascii_host(host)
    future = _lookup_pool().submit(socket.getaddrinfo, name, port, type=socket.SOCK_STREAM)
    try:
        infos = future.result(timeout=max(deadline - time.monotonic(), 0.001))
    except LookupTimeout as exc:
        raise FetchError(f"Looking up {host} took too long") from exc
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"{host} could not be found: {exc}") from exc
    addresses = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        addresses.append(ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0]))
    if not addresses:
        raise FetchError(f"{host} has no address")
    return addresses


def _lookup_pool() -> ThreadPoolExecutor:
    global _lookups
    if _lookups is None or _lookups[0] != os.getpid():
        _lookups = (os.getpid(), ThreadPoolExecutor(4, thread_name_prefix="filmstrip-dns"))
    return _lookups[1]


def _ascii_host(host: str) -> str:
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise FetchError(f"Not a valid host name: {host[:100]!r}") from exc


def _remaining(budget: _Budget) -> float:
    left = budget.deadline - time.monotonic()
    if left <= 0:
        raise FetchError(f"Gave up after {budget.seconds:g} s")
    return left


class _Watchdog:
    """Shuts the sockets of a request down at its deadline, whatever the request is waiting for
    (a slow handshake, headers sent a byte at a time), so no phase outlives the time limit."""

    def __init__(self, deadline: float):
        self.connections: list = []
        self.expired = False
        self._timer = threading.Timer(max(deadline - time.monotonic(), 0), self._expire)
        self._timer.daemon = True

    def __enter__(self):
        self._timer.start()
        return self

    def __exit__(self, *exc_info):
        self._timer.cancel()

    def _expire(self):
        self.expired = True
        for connection in self.connections:
            sock = getattr(connection, "sock", None)
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def _pool(scheme, host, address, port, timeout, watchdog):
    """A connection pool to the vetted ``address``; TLS checks the certificate against ``host``."""
    if scheme == "https":
        base = urllib3.HTTPSConnectionPool
        tls = {
            "cert_reqs": "CERT_REQUIRED",
            "server_hostname": _ascii_host(host),
            "assert_hostname": _ascii_host(host),
        }
    else:
        base, tls = urllib3.HTTPConnectionPool, {}

    class Watched(base):
        def _new_conn(self):
            connection = super()._new_conn()
            watchdog.connections.append(connection)
            return connection

    return Watched(str(address), port, timeout=timeout, retries=False, maxsize=1, **tls)


def _exchange(url, address, port, method, target, body, headers, budget: _Budget) -> Response:
    """One request to one vetted address, reading at most the budget's bytes of the answer."""
    left = _remaining(budget)
    timeout = urllib3.Timeout(connect=left, read=left)
    scheme, host = urlsplit(url).scheme, urlsplit(url).hostname
    with _Watchdog(budget.deadline) as watchdog:
        pool = _pool(scheme, host, address, port, timeout, watchdog)
        try:
            response = pool.urlopen(
                method,
                target,
                body=body,
                headers=headers,
                redirect=False,
                retries=False,
                preload_content=False,
                assert_same_host=False,
            )
            try:
                content, truncated = _read_capped(response, budget)
            finally:
                response.close()
        except (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError):
            if watchdog.expired:
                raise FetchError(_too_slow(host, budget)) from None
            raise
        except urllib3.exceptions.TimeoutError as exc:
            raise FetchError(_too_slow(host, budget)) from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            if watchdog.expired:
                raise FetchError(_too_slow(host, budget)) from exc
            raise FetchError(f"Fetching from {host} failed: {_reason(exc)}") from exc
        finally:
            pool.close()
    if watchdog.expired:
        raise FetchError(_too_slow(host, budget))
    return Response(url.split("#", 1)[0], response.status, response.headers, content, truncated)


def _read_capped(response, budget: _Budget) -> tuple[bytes, bool]:
    """The body, up to the budget's bytes; reading stops there (and the connection is dropped).

    Into the budget's file when it has one (the bytes returned are then b"")."""
    limit = budget.max_bytes
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        _remaining(budget)
        chunk = response.read1(min(CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(chunks), False
        if size + len(chunk) > limit:
            chunk = chunk[: limit - size]
            size = limit + 1
        else:
            size += len(chunk)
        if budget.into is not None:
            budget.into.write(chunk)
        else:
            chunks.append(chunk)
    return b"".join(chunks), True


def _too_slow(host: str, budget: _Budget) -> str:
    return f"{host} did not answer within {budget.seconds:g} s"


def _reason(exc) -> str:
    reason = getattr(exc, "reason", None) or exc
    return str(reason)[:200]
