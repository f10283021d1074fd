"""IPTC IIM and XMP parsing: hand-built blocks, hostile blocks, and real files."""

import struct

import pytest

from filmstrip.imaging.iptc import parse_iptc
from filmstrip.imaging.xmp import parse_xmp


def iim(*records: tuple[int, int, bytes]) -> bytes:
    return b"".join(b"\x1c" + bytes([r, d]) + struct.pack(">H", len(v)) + v for r, d, v in records)


def photoshop_block(data: bytes, resource_id: int = 0x0404) -> bytes:
    padded = data + (b"\x00" if len(data) % 2 else b"")
    return (
        b"Photoshop 3.0\x00"
        + b"8BIM"
        + struct.pack(">H", resource_id)
        + b"\x00\x00"
        + struct.pack(">I", len(data))
        + padded
    )


def test_iptc_fields_from_photoshop_block():
    block = photoshop_block(
        iim(
            (1, 90, b"\x1b%G"),
            (2, 120, "Boy on a cellphone. Ünïcode".encode()),
            (2, 5, b"Pyongyang"),
            (2, 25, b"marathon"),
            (2, 25, b"korea"),
            (2, 80, b"A. Photographer"),
        )
    )
    assert parse_iptc(block) == {
        "caption": "Boy on a cellphone. Ünïcode",
        "object_name": "Pyongyang",
        "keywords": ["marathon", "korea"],
        "byline": "A. Photographer",
    }


def test_iptc_latin1_without_charset_marker():
    block = photoshop_block(iim((2, 120, "Café".encode("latin-1"))))
    assert parse_iptc(block)["caption"] == "Café"


def test_iptc_skips_other_resources():
    other = photoshop_block(b"not iim at all", resource_id=0x0409)
    assert parse_iptc(other) == {}


@pytest.mark.parametrize(
    "block",
    [
        b"",
        b"8BIM",
        b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\xff\xff\xff\xff",  # size beyond the end
        photoshop_block(b"\x1c\x02\x78\xff\xff"),  # extended length, truncated
        photoshop_block(b"\x1c\x02\x78\x80\x08" + b"\x00" * 8),  # 8-byte length field
        b"\x1c" * 1000,
    ],
)
def test_iptc_malformed_blocks_yield_nothing_not_errors(block):
    assert isinstance(parse_iptc(block), dict)


XMP = b"""<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
  xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:DateCreated="2014-04-13T08:12:00">
 <dc:description><rdf:Alt><rdf:li xml:lang="de">Beschreibung</rdf:li>
  <rdf:li xml:lang="x-default">Morning of the race.</rdf:li></rdf:Alt></dc:description>
 <dc:creator><rdf:Seq><rdf:li>Jane Runner</rdf:li></rdf:Seq></dc:creator>
 <Iptc4xmpCore:AltTextAccessibility><rdf:Alt><rdf:li xml:lang="x-default">Runners at dawn</rdf:li>
 </rdf:Alt></Iptc4xmpCore:AltTextAccessibility>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"""


def test_xmp_properties():
    assert parse_xmp(XMP) == {
        "description": "Morning of the race.",
        "creator": "Jane Runner",
        "alt_text": "Runners at dawn",
        "date_created": "2014-04-13T08:12:00",
    }


@pytest.mark.parametrize(
    "packet",
    [
        b"",
        b"<x:xmpmeta",
        b"\x00\x00 not xml",
        # Entity expansion ("billion laughs") is refused by defusedxml, not evaluated.
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&b;</rdf:RDF>',
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&e;</rdf:RDF>',
    ],
)
def test_xmp_hostile_or_broken_packets_yield_nothing(packet):
    assert parse_xmp(packet) == {}
