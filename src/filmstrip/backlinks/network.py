"""Which network addresses Filmstrip may fetch from: only public ones, unless exempted.

Pure functions over :mod:`ipaddress`, so every rule is tested table-driven. Addresses that carry
an IPv4 address inside an IPv6 one (IPv4-mapped, 6to4, Teredo, NAT64) are judged by the address
they carry, so ``::ffff:127.0.0.1`` is as refused as ``127.0.0.1``.
"""

import ipaddress
from collections.abc import Iterable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
METADATA = ipaddress.IPv4Address("169.254.169.254")


def parse_networks(cidrs: Iterable[str]) -> tuple[IPNetwork, ...]:
    """``FILMSTRIP_FETCH_ALLOW_NETWORKS`` as networks; a malformed entry is a clear error."""
    networks = []
    for cidr in cidrs:
        try:
            networks.append(ipaddress.ip_network(cidr, strict=False))
        except ValueError as exc:
            raise ValueError(f"FILMSTRIP_FETCH_ALLOW_NETWORKS: {exc}") from exc
    return tuple(networks)


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, if it is one of the transition forms."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]  # the client's address
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _category(address: IPAddress) -> str | None:
    """Why ``address`` is not a public one, or None if it is."""
    if address.is_unspecified:
        return "unspecified"
    if address.is_loopback:
        return "loopback"
    if address == METADATA:
        return "link-local (cloud metadata)"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address.version == 4 and address in CGNAT:
        return "shared (carrier-grade NAT)"
    if address.version == 6 and address.is_site_local:
        return "site-local"
    if address.is_reserved:
        return "reserved"
    if address.is_private:
        return "private"
    if not address.is_global:
        return "not globally reachable"
    return None


def refusal(address: IPAddress, allowed: Iterable[IPNetwork] = ()) -> str | None:
    """Why Filmstrip must not connect to ``address``, or None when it may.

    ``allowed`` networks are exempt (tests on loopback, intranets); an embedded IPv4 address is
    judged, and exempted, as itself.
    """
    allowed = tuple(allowed)
    if address.version == 6:
        inner = embedded_ipv4(address)
        if inner is not None:
            reason = refusal(inner, allowed)
            return f"{reason}, inside {address}" if reason else None
    if any(address.version == net.version and address in net for net in allowed):
        return None
    category = _category(address)
    return f"{address} is a {category} address" if category else None


def connectable(address: IPAddress) -> IPAddress:
    """The address to open a socket to: an IPv4-mapped address as its IPv4 self."""
    if address.version == 6 and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address
