"""Reading a WordPress export (WXR 1.0, 1.1 and 1.2) into the records of records.py.

The file is read as a stream: each child of <channel> is turned into a record when it ends and
is then dropped, so a 100 MB export never sits in memory as a tree. Parsing goes through
defusedxml, which refuses DTDs (and with them entity bombs and external entities).

The reader keeps what the file says and decides nothing: duplicate post ids are both yielded,
serialized meta stays the raw string, a post without a usable id has id 0. The importer judges.
"""

import codecs
import os
import re
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError, TreeBuilder, XMLPullParser
from xml.parsers import expat

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from .records import Author, Comment, Item, Site, Term

WXR_VERSIONS = ("1.0", "1.1", "1.2")

# WordPress.com writes https:// where WordPress writes http://; both name the same thing.
_WP_NS = re.compile(r"https?://wordpress\.org/export/\d+\.\d+/")
_EXCERPT_NS = re.compile(r"https?://wordpress\.org/export/\d+\.\d+/excerpt/")
_OTHER_NS = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
_CHUNK = 256 * 1024
_LEADING_JUNK = b"\xef\xbb\xbf \t\r\n"  # a BOM, or blank lines a plugin printed before the file
_DECLARED_ENCODING = re.compile(rb"<\?xml[^>]*?\sencoding=[\"']([A-Za-z][\w.:-]*)[\"']")
_EXPAT_ENCODINGS = {"utf-8", "iso8859-1", "ascii"}  # read by expat itself, and UTF-16
_FORBIDDEN_CONTROLS = bytes(c for c in range(32) if c not in b"\t\n\r")


class WxrError(Exception):
    """The file cannot be read as a WordPress export; the message says which file and why."""


@lru_cache(maxsize=512)
def _name(tag: str) -> str:
    """A tag as "wp:post_id", "content:encoded", "title"; "?:x" for a namespace WXR does not
    use (including a prefix rebound to a stranger's namespace, which then does not count)."""
    if not tag.startswith("{"):
        return tag
    ns, local = tag[1:].split("}", 1)
    if _WP_NS.fullmatch(ns):
        return "wp:" + local
    if _EXCERPT_NS.fullmatch(ns):
        return "excerpt:" + local
    return _OTHER_NS.get(ns, "?") + ":" + local


def _fields(elem: Element) -> dict[str, Element]:
    """The children of ``elem`` by name; where a name repeats, the first one counts."""
    found: dict[str, Element] = {}
    for child in elem:
        found.setdefault(_name(child.tag), child)
    return found


def _text(elem: Element | None) -> str:
    return "" if elem is None else "".join(elem.itertext())


def _int(elem: Element | None) -> int:
    try:
        return int(_text(elem).strip())
    except ValueError:
        return 0


def _date(elem: Element | None, *, utc: bool) -> datetime | None:
    """WordPress's "2014-04-28 10:00:00"; None for its "0000-00-00 00:00:00" or anything else
    that is no date. A *_gmt date is aware (UTC); the local one stays naive."""
    try:
        value = datetime.fromisoformat(_text(elem).strip())
    except ValueError:
        return None
    if not utc:
        return value.replace(tzinfo=None)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _meta(elem: Element) -> tuple[str, str]:
    f = _fields(elem)
    return _text(f.get("wp:meta_key")).strip(), _text(f.get("wp:meta_value"))


def _author(elem: Element) -> Author | None:
    f = _fields(elem)
    login = _text(f.get("wp:author_login")).strip()
    if not login:
        return None
    return Author(
        login=login,
        display_name=_text(f.get("wp:author_display_name")).strip(),
        email=_text(f.get("wp:author_email")).strip(),
        first_name=_text(f.get("wp:author_first_name")).strip(),
        last_name=_text(f.get("wp:author_last_name")).strip(),
        id=_int(f["wp:author_id"]) if "wp:author_id" in f else None,
    )


def _term(elem: Element) -> Term | None:
    """An item's <category domain="…" nicename="…">Name</category>. WXR 1.0 also wrote a bare
    <category>Name</category> beside each such term: those repeat it and are left out."""
    domain = elem.get("domain")
    if not domain:
        return None
    name = _text(elem).strip()
    slug = (elem.get("nicename") or "").strip() or re.sub(r"\W+", "-", name.lower()).strip("-")
    return Term(domain="post_tag" if domain == "tag" else domain, slug=slug, name=name)


def _comment(elem: Element) -> Comment:
    f = _fields(elem)
    approved = f.get("wp:comment_approved")
    return Comment(
        id=_int(f.get("wp:comment_id")),
        author=_text(f.get("wp:comment_author")).strip(),
        email=_text(f.get("wp:comment_author_email")).strip(),
        url=_text(f.get("wp:comment_author_url")).strip(),
        ip=_text(f.get("wp:comment_author_IP")).strip(),
        date_gmt=_date(f.get("wp:comment_date_gmt"), utc=True),
        content=_text(f.get("wp:comment_content")),
        # WordPress always writes it; where a hand-made file does not, a person should look.
        approved=_text(approved).strip() if approved is not None else "0",
        type=_text(f.get("wp:comment_type")).strip() or "comment",
        parent=_int(f.get("wp:comment_parent")),
        user_id=_int(f.get("wp:comment_user_id")),
        meta=dict(_meta(m) for m in elem if _name(m.tag) == "wp:commentmeta"),
    )


def _item(elem: Element) -> Item:
    f = _fields(elem)

    def text(name: str, default: str = "") -> str:
        return _text(f[name]).strip() if name in f else default

    item = Item(
        id=_int(f.get("wp:post_id")),
        type=text("wp:post_type", "post"),
        title=text("title"),
        slug=text("wp:post_name"),
        status=text("wp:status", "draft"),  # as WordPress: a post with no status is a draft
        link=text("link"),
        guid=text("guid"),
        creator=text("dc:creator"),
        content=_text(f.get("content:encoded")),
        excerpt=_text(f.get("excerpt:encoded")),
        date=_date(f.get("wp:post_date"), utc=False),
        date_gmt=_date(f.get("wp:post_date_gmt"), utc=True),
        modified_gmt=_date(f.get("wp:post_modified_gmt"), utc=True),
        comment_status=text("wp:comment_status", "open"),
        ping_status=text("wp:ping_status", "open"),
        password=_text(f.get("wp:post_password")),
        parent=_int(f.get("wp:post_parent")),
        menu_order=_int(f.get("wp:menu_order")),
        attachment_url=text("wp:attachment_url"),
    )
    for child in elem:
        name = _name(child.tag)
        if name == "category" and (term := _term(child)) and term not in item.terms:
            item.terms.append(term)
        elif name == "wp:postmeta":
            key, value = _meta(child)
            item.meta.setdefault(key, []).append(value)
        elif name == "wp:comment":
            item.comments.append(_comment(child))
    return item


_SITE_FIELDS = {
    "title": "title",
    "link": "link",
    "language": "language",
    "wp:base_site_url": "base_site_url",
    "wp:base_blog_url": "base_blog_url",
    "wp:wxr_version": "wxr_version",
}


@dataclass
class _Reader:
    """One pass over one export, yielding the Site once (before the first item) then the
    items; the XML's own structure is checked on the way."""

    source: str | os.PathLike | BinaryIO
    site: Site = field(default_factory=Site)
    skipped_lines: int = 0  # blank lines dropped from the top: lines reported are the file's
    charset: str | None = None  # what expat is told the bytes are, where it reads them itself
    _seen: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        if hasattr(self.source, "read"):
            return str(getattr(self.source, "name", "the export"))
        return os.fspath(self.source)

    def error(self, why: str, line: int | None = None, column: int | None = None) -> WxrError:
        where = self.label
        if line:
            where += f", line {line}" + (f", column {column}" if column else "")
        return WxrError(f"{where}: {why}")

    def __iter__(self) -> Iterator[Site | Item]:
        depth, channel, site_given = 0, None, False
        for event, elem in self._events():
            if event == "start":
                depth += 1
                if depth == 1 and elem.tag != "rss":
                    raise self.error(f"not a WordPress export: it is <{_local(elem.tag)}>, not RSS")
                if depth == 2:
                    if elem.tag != "channel" or channel is not None:
                        raise self.error(
                            f"not a WordPress export: <{_local(elem.tag)}> where "
                            "the one <channel> belongs"
                        )
                    channel = elem
                if depth == 3 and elem.tag == "item" and not site_given:
                    yield self.checked_site()
                    site_given = True
                continue
            depth -= 1
            if depth == 2:
                if elem.tag == "item":
                    yield _item(elem)
                else:
                    self.channel_child(elem)
                del channel[:]  # what is read is let go: memory stays flat however long the file
        if channel is None:
            raise self.error("not a WordPress export: the RSS has no <channel>")
        if not site_given:
            yield self.checked_site()

    def channel_child(self, elem: Element) -> None:
        name = _name(elem.tag)
        if name == "wp:author":
            if author := _author(elem):
                self.site.authors.append(author)
        elif name in _SITE_FIELDS and name not in self._seen:
            self._seen.add(name)
            setattr(self.site, _SITE_FIELDS[name], _text(elem).strip())

    def checked_site(self) -> Site:
        version = self.site.wxr_version
        if not version:
            raise self.error(
                "not a WordPress export: it gives no WXR version (<wp:wxr_version> before the "
                "first post)"
            )
        if version not in WXR_VERSIONS:
            raise self.error(
                f"WXR version {version!r} is not one Filmstrip reads ({', '.join(WXR_VERSIONS)})"
            )
        return self.site

    def _events(self) -> Iterator[tuple[str, Element]]:
        parser = DefusedXMLParser(target=TreeBuilder(), forbid_dtd=True)
        pull = XMLPullParser(events=("start", "end"), _parser=parser)
        fed = 0  # bytes given to expat before ``chunk``
        with self._open() as f:
            for chunk in chain(self._chunks(f), [None]):  # None: the end
                try:
                    pull.feed(chunk) if chunk is not None else pull.close()
                    yield from pull.read_events()
                except ParseError as exc:
                    line, column = exc.position
                    at = parser.parser.ErrorByteIndex - fed
                    why = self._not_in_charset(chunk, at) or expat.ErrorString(exc.code)
                    raise self.error(
                        f"broken XML: {why}. The export may be cut short or edited by hand; "
                        "export it again from WordPress",
                        line + self.skipped_lines,
                        column + 1,
                    ) from None
                except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden) as exc:
                    line = parser.parser.CurrentLineNumber + self.skipped_lines
                    raise self.error(_refusal(exc), line) from None
                fed += len(chunk or b"")

    def _not_in_charset(self, chunk: bytes | None, at: int) -> str | None:
        """Why expat found an "invalid token" at ``at``, where it is a byte the file's charset
        does not have (old databases often hold Windows-1252 text in a UTF-8 export)."""
        if not (self.charset and chunk and 0 <= at < len(chunk)) or chunk[at] < 0x80:
            return None
        try:
            chunk[at : at + 4].decode(self.charset)
        except UnicodeDecodeError as exc:
            if exc.start == 0 and exc.reason != "unexpected end of data":
                return f"a byte (0x{chunk[at]:02X}) that is not {self.charset}, as it says it is"
        return None

    def _chunks(self, f: BinaryIO) -> Iterator[bytes]:
        """The file's bytes for expat, less what a plugin printed before the declaration and the
        control characters XML forbids (pasted text brings them in; WordPress exports them as
        they are), and in UTF-8 where the file is in a charset expat cannot read itself:
        WordPress declares the blog's own charset, which on old sites may be GBK, Big5…"""
        head = f.read(max(_CHUNK, 4096))  # the declaration, and whatever came before it
        stripped = head.lstrip(_LEADING_JUNK)
        self.skipped_lines = head[: len(head) - len(stripped)].count(b"\n")
        declared = _DECLARED_ENCODING.match(stripped)
        name = declared[1].decode() if declared else "UTF-8"
        try:
            codec = codecs.lookup(name)
        except LookupError:
            raise self.error(f"unknown encoding {name!r} in its declaration") from None
        if (
            stripped.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
            or codec.name == "utf-16"
        ):
            self.charset = None  # two bytes a character: no byte may be dropped, expat reads it
            chunk = stripped
            while chunk:
                yield chunk
                chunk = f.read(_CHUNK)
        elif codec.name in _EXPAT_ENCODINGS:
            self.charset = name
            chunk = stripped
            while chunk:
                yield chunk.translate(None, _FORBIDDEN_CONTROLS)
                chunk = f.read(_CHUNK)
        else:
            self.charset = None  # expat reads the UTF-8 made here
            yield from self._transcoded(f, head, stripped, declared)

    def _transcoded(self, f: BinaryIO, head: bytes, stripped: bytes, declared) -> Iterator[bytes]:
        decoder = codecs.getincrementaldecoder(declared[1].decode())()
        done, chunk = len(head) - len(stripped), stripped
        try:
            text = decoder.decode(chunk)  # the declaration is ASCII: its offsets hold in text
            text = text[: declared.start(1)] + "UTF-8" + text[declared.end(1) :]
            while text or chunk:
                yield text.encode().translate(None, _FORBIDDEN_CONTROLS)
                done += len(chunk)
                chunk = f.read(_CHUNK)
                text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            where = done + exc.start
            raise self.error(f"not valid {declared[1].decode()} near byte {where}") from None

    def _open(self):
        if hasattr(self.source, "read"):
            return nullcontext(self.source)
        try:
            return Path(self.source).open("rb")
        except OSError as exc:
            raise self.error(f"cannot be opened ({exc.strerror})") from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _refusal(exc: Exception) -> str:
    why = {
        DTDForbidden: "declares a DTD (<!DOCTYPE …>)",
        EntitiesForbidden: "declares entities",
        ExternalReferenceForbidden: "refers to an external file",
    }[type(exc)]
    return (
        f"refused: the file {why}. WordPress never writes one, and it is how entity bombs and "
        "external-file tricks get into XML"
    )


def read_site(source: str | os.PathLike | BinaryIO) -> Site:
    """The export's channel and authors; reading stops at the first <item>."""
    for record in _Reader(source):
        assert isinstance(record, Site)
        return record
    raise AssertionError("the reader always gives the site")  # pragma: no cover


def iter_items(source: str | os.PathLike | BinaryIO) -> Iterator[Item]:
    """Every <item> of the export in file order (posts, pages, attachments and the rest),
    one at a time. Raises WxrError where the file stops being a readable export."""
    for record in _Reader(source):
        if isinstance(record, Item):
            yield record
