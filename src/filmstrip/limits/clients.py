"""Who is asking: the client's network address, and the bucket that limits count it in.

Behind a proxy every request comes from the proxy's address, so one abuser would close a limit
for everyone. A proxy listed in ``FILMSTRIP_TRUSTED_PROXIES`` appends the address it saw to
``X-Forwarded-For``; the client's own address is the right-most one no trusted proxy wrote.
Everything further left is whatever the client sent, so it is never believed.
"""

import ipaddress
from functools import lru_cache

from filmstrip.conf import filmstrip_settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# One subscriber gets at least a /64 of IPv6 and may use any address in it.
IPV6_PREFIX = 64


def parse_address(text: str) -> Address | None:
    """An address as proxies write it (with or without a port); IPv4-mapped IPv6 as IPv4."""
    text = text.strip()
    if text.startswith("["):  # [2001:db8::1]:443
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # 192.0.2.1:443
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text.partition("%")[0])
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def _networks(cidrs: tuple[str, ...]) -> tuple:
    try:
        return tuple(ipaddress.ip_network(cidr, strict=False) for cidr in cidrs)
    except ValueError as exc:
        raise ValueError(f"FILMSTRIP_TRUSTED_PROXIES: {exc}") from exc


def _trusted(address: Address, networks: tuple) -> bool:
    return any(address in network for network in networks)


def from_trusted_proxy(remote_addr: str | None) -> bool:
    """Whether a connection from ``remote_addr`` is one of ``FILMSTRIP_TRUSTED_PROXIES``."""
    peer = parse_address(remote_addr or "")
    return peer is not None and _trusted(peer, _networks(tuple(filmstrip_settings.TRUSTED_PROXIES)))


def client_address(request) -> str | None:
    """The address of whoever sent ``request``: ``REMOTE_ADDR``, or, when that is a trusted
    proxy, the right-most ``X-Forwarded-For`` entry that is not a trusted proxy."""
    peer = parse_address(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    networks = _networks(tuple(filmstrip_settings.TRUSTED_PROXIES))
    if not _trusted(peer, networks):
        return str(peer)
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = parse_address(hop)
        if address is None:
            break  # not an address: nothing to its left can be relied on either
        peer = address
        if not _trusted(address, networks):
            break
    return str(peer)


def limit_key(address: str | None) -> str | None:
    """The bucket limits count ``address`` in: an IPv4 address alone, an IPv6 address's /64."""
    parsed = parse_address(address or "")
    if parsed is None:
        return None
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_PREFIX}", strict=False))
    return str(parsed)
