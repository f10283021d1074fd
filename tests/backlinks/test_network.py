"""Which addresses the outbound guard refuses: a table, no network."""

import ipaddress

import pytest

from filmstrip.backlinks.network import connectable, parse_networks, refusal

REFUSED = [
    ("127.0.0.1", "loopback"),
    ("127.8.9.10", "loopback"),
    ("::1", "loopback"),
    ("0.0.0.0", "unspecified"),  # noqa: S104  (an address to refuse, not to bind)
    ("::", "unspecified"),
    ("10.1.2.3", "private"),
    ("172.16.0.1", "private"),
    ("172.31.255.254", "private"),
    ("192.168.1.1", "private"),
    ("fd12:3456:789a::1", "private"),  # unique local (ULA)
    ("fc00::1", "private"),
    ("169.254.169.254", "cloud metadata"),
    ("169.254.1.1", "link-local"),
    ("fe80::1", "link-local"),
    ("224.0.0.1", "multicast"),
    ("239.255.255.250", "multicast"),
    ("ff02::1", "multicast"),
    ("100.64.0.1", "carrier-grade NAT"),
    ("100.127.255.254", "carrier-grade NAT"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", ""),
    ("192.0.2.10", ""),  # documentation range: not on the public web either
    ("fec0::1", "site-local"),
    # IPv6 forms that carry a forbidden IPv4 address
    ("::ffff:127.0.0.1", "127.0.0.1 is a loopback address, inside ::ffff:7f00:1"),
    ("::ffff:10.0.0.1", "private"),
    ("::ffff:169.254.169.254", "cloud metadata"),
    ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
    ("2002:a9fe:a9fe::1", "cloud metadata"),  # 6to4 of 169.254.169.254
    ("64:ff9b::a00:1", "private"),  # NAT64 of 10.0.0.1
    ("::127.0.0.1", ""),  # the deprecated IPv4-compatible form
]

ALLOWED = ["93.184.215.14", "1.1.1.1", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"]


@pytest.mark.parametrize(("address", "why"), REFUSED)
def test_non_public_addresses_are_refused_with_the_reason(address, why):
    reason = refusal(ipaddress.ip_address(address))
    assert reason is not None, address
    assert why in reason


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_pass(address):
    assert refusal(ipaddress.ip_address(address)) is None


def test_exempted_networks_pass_and_only_they():
    allowed = parse_networks(["127.0.0.1/32", "10.20.0.0/16"])
    assert refusal(ipaddress.ip_address("127.0.0.1"), allowed) is None
    assert refusal(ipaddress.ip_address("::ffff:127.0.0.1"), allowed) is None
    assert refusal(ipaddress.ip_address("10.20.5.5"), allowed) is None
    assert refusal(ipaddress.ip_address("127.0.0.2"), allowed)
    assert refusal(ipaddress.ip_address("10.21.0.1"), allowed)
    assert refusal(ipaddress.ip_address("::1"), allowed)
    assert refusal(ipaddress.ip_address("169.254.169.254"), allowed)


def test_a_malformed_exemption_is_a_clear_error():
    with pytest.raises(ValueError, match="FILMSTRIP_FETCH_ALLOW_NETWORKS"):
        parse_networks(["127.0.0.1/33"])


def test_a_mapped_address_is_connected_to_as_ipv4():
    assert connectable(ipaddress.ip_address("::ffff:8.8.8.8")) == ipaddress.ip_address("8.8.8.8")
    assert connectable(ipaddress.ip_address("2606:4700::1")).version == 6
