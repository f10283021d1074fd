"""Reading a WordPress export (WXR 1.0, 1.1 and 1.2) into the records of records.py.

The file is read as a stream: each child of <channel> is turned into a record when it ends and
is then dropped, so a 100 MB export never sits in memory as a tree. Parsing goes through
defusedxml, which refuses DTDs (and with them entity bombs and external entities).

The reader keeps what the file says and decides nothing: duplicate post ids are both yielded,
serialized meta stays the raw string, a post without a usable id has id 0. The importer judges.
Where the file says nothing, WordPress's own defaults hold (no status: a draft; no type: a
post), except that a comment without comment_approved is held for a person, not shown.

An export is one .xml file, or a zip of several (WordPress.com's, for a large site).
"""

import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import IO, cast
from xml.etree.ElementTree import Element, ParseError, TreeBuilder, XMLPullParser
from xml.parsers import expat

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from . import xmlbytes
from .records import Author, Comment, Item, Site, Term
from .xmlbytes import CharsetError, XmlBytes

WXR_VERSIONS = ("1.0", "1.1", "1.2")

# WordPress.com writes https:// where WordPress writes http://; both name the same thing.
_WP_NS = re.compile(r"https?://wordpress\.org/export/\d+\.\d+/")
_EXCERPT_NS = re.compile(r"https?://wordpress\.org/export/\d+\.\d+/excerpt/")
_OTHER_NS = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}


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
    """One pass over one export file, yielding the Site once (before the first item) then the
    items; the XML's own structure is checked on the way."""

    source: IO[bytes]
    label: str
    site: Site = field(default_factory=Site)
    _seen: set[str] = field(default_factory=set)

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
                assert channel is not None  # an item or a field is inside it
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
        data, fed = XmlBytes(self.source, xmlbytes.CHUNK), 0  # fed: bytes before ``piece``
        try:
            for piece in chain(data, [None]):  # None: the end
                try:
                    pull.feed(piece) if piece is not None else pull.close()
                    # Only the events asked for: ("start" or "end", element).
                    yield from cast(Iterator[tuple[str, Element]], pull.read_events())
                except ParseError as exc:
                    line, column = exc.position
                    at = parser.parser.ErrorByteIndex - fed
                    why = data.not_in_charset(piece, at) or expat.ErrorString(exc.code)
                    raise self.error(
                        f"broken XML: {why}. The export may be cut short or edited by hand; "
                        "export it again from WordPress",
                        line + data.skipped_lines,
                        column + 1,
                    ) from None
                except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden) as exc:
                    line = parser.parser.CurrentLineNumber + data.skipped_lines
                    raise self.error(_refusal(exc), line) from None
                fed += len(piece or b"")
        except CharsetError as exc:
            raise self.error(str(exc)) from None
        except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise self.error(f"cannot be read ({exc})") from None


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


Source = str | os.PathLike | IO[bytes]


@contextmanager
def _files(source: Source) -> Iterator[Iterator[tuple[IO[bytes], str]]]:
    """The export's XML files, each with the name to report it by: the file itself, or the
    .xml files of a zip in name order (WordPress.com hands a large site's export out as a
    zip of several). Members are read as streams, never unpacked to disk."""
    if not isinstance(source, str | os.PathLike):
        yield iter([(source, str(getattr(source, "name", "the export")))])
        return
    label = os.fspath(source)
    try:
        archive = zipfile.ZipFile(source) if zipfile.is_zipfile(source) else None
        plain = None if archive else Path(source).open("rb")  # noqa: SIM115 (closed below)
    except (OSError, zipfile.BadZipFile) as exc:
        why = getattr(exc, "strerror", None) or exc
        raise WxrError(f"{label}: cannot be opened ({why})") from None
    if archive is not None:
        with archive:
            yield _members(archive, label)
    elif plain is not None:
        with plain:
            yield iter([(plain, label)])


def _members(archive: zipfile.ZipFile, label: str) -> Iterator[tuple[IO[bytes], str]]:
    names = sorted(
        info.filename
        for info in archive.infolist()
        if not info.is_dir()
        and info.filename.lower().endswith(".xml")
        and not info.filename.startswith("__MACOSX/")
    )
    if not names:
        raise WxrError(f"{label}: not a WordPress export: the zip holds no .xml file")
    for name in names:
        try:
            member = archive.open(name)
        except (RuntimeError, NotImplementedError, zipfile.BadZipFile) as exc:
            raise WxrError(f"{label} ({name}): cannot be read ({exc})") from None
        with member:
            yield member, f"{label} ({name})"


def read_site(source: Source) -> Site:
    """The export's channel and authors; reading stops at the first <item>."""
    with _files(source) as files:
        f, label = next(files)
        for record in _Reader(f, label):
            assert isinstance(record, Site)
            return record
    raise AssertionError("the reader always gives the site")  # pragma: no cover


def iter_items(source: Source) -> Iterator[Item]:
    """Every <item> of the export in file order (posts, pages, attachments and the rest),
    one at a time. Raises WxrError where the file stops being a readable export."""
    with _files(source) as files:
        first: Site | None = None
        for f, label in files:
            for record in _Reader(f, label):
                if isinstance(record, Item):
                    yield record
                elif first is None:
                    first = record
                elif record.key != first.key:
                    raise WxrError(
                        f"{label}: an export of {record.key or 'an unnamed site'}, where the "
                        f"first file is of {first.key or 'an unnamed site'}: one site at a time"
                    )
