"""Reading the few XMP properties Filmstrip uses (caption, title, alt text, dates, rights).

XMP packets are untrusted XML: defusedxml refuses entity expansion and external references.
"""

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "exif": "http://ns.adobe.com/exif/1.0/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# property name -> (namespace prefix, local name)
PROPERTIES = {
    "description": ("dc", "description"),
    "title": ("dc", "title"),
    "alt_text": ("Iptc4xmpCore", "AltTextAccessibility"),
    "headline": ("photoshop", "Headline"),
    "creator": ("dc", "creator"),
    "rights": ("dc", "rights"),
    "credit": ("photoshop", "Credit"),
    "licence_url": ("xmpRights", "WebStatement"),
    "date_created": ("photoshop", "DateCreated"),
    "date_time_original": ("exif", "DateTimeOriginal"),
    "create_date": ("xmp", "CreateDate"),
}


def _value(element) -> str:
    """Text of a simple property, or the x-default (else first) item of an Alt/Seq/Bag."""
    items = element.findall("rdf:Alt/rdf:li", NS) or element.findall("rdf:Seq/rdf:li", NS)
    items = items or element.findall("rdf:Bag/rdf:li", NS)
    if items:
        default = [li for li in items if li.get(_XML_LANG) == "x-default"]
        return ((default or items)[0].text or "").strip()
    return (element.text or "").strip()


def parse_xmp(packet: bytes) -> dict[str, str]:
    """The PROPERTIES found in an XMP packet, as element or attribute; {} if it is not XML."""
    packet = packet.strip(b"\x00 \t\r\n")
    start = packet.find(b"<x:xmpmeta")
    if start < 0:
        start = packet.find(b"<rdf:RDF")
    if start > 0:
        end_tag = b"</x:xmpmeta>" if packet[start:].startswith(b"<x:xmpmeta") else b"</rdf:RDF>"
        end = packet.find(end_tag, start)
        packet = packet[start : end + len(end_tag)] if end > 0 else packet[start:]
    try:
        root = ElementTree.fromstring(packet)
    except (ElementTree.ParseError, DefusedXmlException, ValueError):
        return {}
    found: dict[str, str] = {}
    for description in root.iter(f"{{{NS['rdf']}}}Description"):
        for name, (prefix, local) in PROPERTIES.items():
            if name in found:
                continue
            qualified = f"{{{NS[prefix]}}}{local}"
            element = description.find(qualified)
            value = _value(element) if element is not None else description.get(qualified, "")
            if value:
                found[name] = value.strip()
    return found
