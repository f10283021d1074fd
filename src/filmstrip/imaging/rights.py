"""The rights a published rendition carries in its XMP, so the licence travels with the file."""

import hashlib
from dataclasses import dataclass
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Rights:
    creator: str = ""
    copyright: str = ""  # the copyright notice, e.g. "© 2014 Jane Runner"
    credit: str = ""
    licence_url: str = ""

    def __bool__(self) -> bool:
        return any((self.creator, self.copyright, self.credit, self.licence_url))

    @property
    def digest(self) -> str:
        """Short fingerprint for rendition names: other rights, other bytes, other name."""
        text = "\x1f".join((self.creator, self.copyright, self.credit, self.licence_url))
        return hashlib.sha256(text.encode()).hexdigest()[:8]

    def xmp(self) -> bytes:
        """An XMP packet with Dublin Core, XMP Rights and Photoshop credit properties."""
        e = escape
        parts = []
        if self.creator:
            parts.append(
                f"<dc:creator><rdf:Seq><rdf:li>{e(self.creator)}</rdf:li></rdf:Seq></dc:creator>"
            )
        if self.copyright:
            parts.append(
                f'<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{e(self.copyright)}'
                "</rdf:li></rdf:Alt></dc:rights>"
            )
        if self.credit:
            parts.append(f"<photoshop:Credit>{e(self.credit)}</photoshop:Credit>")
        if self.licence_url:
            parts.append(
                f"<xmpRights:WebStatement>{e(self.licence_url)}</xmpRights:WebStatement>"
                f"<cc:license rdf:resource={quoteattr(self.licence_url)}/>"
            )
        if self.copyright or self.licence_url:
            parts.append("<xmpRights:Marked>True</xmpRights:Marked>")
        body = "".join(parts)
        return (
            '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
            'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/" '
            'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
            'xmlns:cc="http://creativecommons.org/ns#">'
            f"{body}</rdf:Description></rdf:RDF></x:xmpmeta>"
            '<?xpacket end="r"?>'
        ).encode()


def quoteattr(value: str) -> str:
    return '"' + escape(value, {'"': "&quot;"}) + '"'
