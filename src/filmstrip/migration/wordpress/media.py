"""Where an imported post's photos come from: a media folder or archive, or the old site itself.

A WordPress upload has many addresses: the original, its resized copies (``-1024x683.jpg``), the
WordPress.com forms (``?w=1024``, ``i0.wp.com/…``, ``*.files.wordpress.com/…``) and the copies
WordPress itself makes of a big or rotated photo (``-scaled``, ``-rotated``). :func:`upload_path`
takes any of them back to the original's path in the uploads folder, ``YYYY/MM/name.ext``, and
:class:`MediaLibrary` finds that file in a folder or archive laid out like ``wp-content/uploads``
or, with ``fetch``, downloads it through the outbound guard (:mod:`filmstrip.backlinks.fetch`).
"""

import os
import re
import shutil
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from django.conf import settings as django_settings

from filmstrip.backlinks.fetch import FetchError, fetch
from filmstrip.conf import filmstrip_settings
from filmstrip.migration.unpacking import ArchiveError, Limits, extract, is_archive

from .records import Attachment

SIZED = re.compile(r"-\d+x\d+(@\dx)?$")  # name-1024x683, name-150x150@2x
MADE_BY_WORDPRESS = re.compile(r"-(scaled|rotated)$")  # copies of a big or turned original
EDITED = re.compile(r"-e\d{13}$")  # saved by WordPress's image editor (a crop, a turn)
DATED = re.compile(r"^\d{4}/\d{2}/[^/]+$")
PHOTON_HOST = re.compile(r"^i\d\.wp\.com$")
FLAT = ""  # the index key of a file kept outside YYYY/MM folders: its name alone


class MediaError(Exception):
    """The media folder or archive cannot be used; the message says why."""


def upload_path(url: str) -> str | None:
    """The original's path in the uploads folder ("2014/04/a.jpg"), or None if ``url`` is not
    the address of a WordPress upload."""
    candidates = upload_candidates(url)
    return candidates[0] if candidates else None


def upload_candidates(url: str, *, original: bool = False) -> list[str]:
    """Paths in the uploads folder that ``url`` may stand for, the most original first: the
    original, WordPress's own copy of it, the unedited photo, the file as written.

    ``original``: the address is one WordPress recorded for the original (an attachment's), so
    a name like ``a-150x150.jpg`` is the photo's own and not a resized copy.
    """
    written = _uploads_relative(url)
    if written is None:
        return []
    folder, name = written.rpartition("/")[0], written.rpartition("/")[2]
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        return [written]
    full = stem if original else SIZED.sub("", stem)
    stems = [MADE_BY_WORDPRESS.sub("", full), full, EDITED.sub("", full), stem]
    paths = [f"{folder}/{s}.{extension}" if folder else f"{s}.{extension}" for s in stems]
    return list(dict.fromkeys(paths))


def _uploads_relative(url: str) -> str | None:
    """The part of the address below the uploads folder, as written, or None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. an unclosed [ in the host
        return None
    host = (parts.hostname or "").lower()
    path = unicodedata.normalize("NFC", unquote(parts.path))
    if PHOTON_HOST.match(host):  # i0.wp.com/example.com/wp-content/…: the origin's address
        host, _, rest = path.lstrip("/").partition("/")
        host, path = host.lower(), "/" + rest
    relative = None
    for marker in ("/wp-content/uploads/", "/wp-content/blogs.dir/"):
        if marker in path:
            relative = path.split(marker, 1)[1]
            break
    if relative is not None:
        relative = re.sub(r"^(sites/\d+/|\d+/files/)", "", relative)
    elif host.endswith(".files.wordpress.com"):
        relative = path.lstrip("/")
    elif match := re.search(r"/files/(\d{4}/\d{2}/[^/]+)$", path):  # old multisite
        relative = match[1]
    if not relative or relative.endswith("/"):
        return None
    segments = relative.split("/")
    if any(s in ("", ".", "..") for s in segments):
        return None
    return relative


def _attached_file(value: str) -> list[str]:
    """``_wp_attached_file``: relative to uploads, or in old exports an absolute server path."""
    value = value.strip()
    if not value:
        return []
    if "/wp-content/uploads/" in value or value.startswith(("http://", "https://")):
        return upload_candidates(value, original=True)
    return upload_candidates("/wp-content/uploads/" + value.lstrip("/"), original=True)


@dataclass(frozen=True)
class Lookup:
    """What :meth:`MediaLibrary.lookup` found: a file, or why there is none."""

    path: Path | None
    reason: str = ""  # for a person, when path is None
    source: str = ""  # where it came from: the uploads path, or the URL fetched


def wanted(attachment: Attachment | None, url: str) -> tuple[list[str], list[str]]:
    """(paths in the uploads folder, URLs to fetch), best first, for a photo of a post."""
    paths: list[str] = []
    urls: list[str] = []
    if attachment is not None:
        paths += _attached_file(attachment.file)
        paths += upload_candidates(attachment.url, original=True)
        if attachment.url:
            urls.append(attachment.url)
    from_url = upload_candidates(url) if url else []
    paths += from_url
    for path in from_url:
        urls += _beside(url, path)
    if from_url:
        urls.append(url)
    return list(dict.fromkeys(paths)), list(dict.fromkeys(u for u in urls if u))


def _beside(url: str, path: str) -> list[str]:
    """Addresses of the file ``path`` names, in ``url``'s folder and without its query (which
    asks for a resized copy: ``?w=1024``): at the origin, then at the photo CDN that served it,
    which keeps a copy when the origin is gone."""
    parts = urlsplit(url.strip())
    name = quote(path.rpartition("/")[2])
    found = []
    if PHOTON_HOST.match((parts.hostname or "").lower()):
        origin, _, rest = parts.path.lstrip("/").partition("/")
        folder = "/" + rest.rpartition("/")[0]
        found.append(urlunsplit((parts.scheme, origin, f"{folder}/{name}", "", "")))
    folder = parts.path.rpartition("/")[0]
    found.append(urlunsplit((parts.scheme, parts.netloc, f"{folder}/{name}", "", "")))
    return found


class MediaLibrary:
    """The photos an import may use: ``source`` (a folder or a tar/zip archive laid out as
    ``YYYY/MM/file``, at its top, under one folder or under ``wp-content/uploads/``) and, with
    ``fetch``, the old site over HTTP. Use it as a context manager: what it unpacked or fetched
    lives in a temporary folder removed at the end.

    ``find(attachment, url)`` gives the file or None; ``lookup`` says why when there is none.
    ``prefetch`` downloads many at once (``workers`` at a time) before the import asks.
    """

    def __init__(
        self,
        source: Path | str | None = None,
        *,
        fetch: bool = False,
        workers: int = 4,
        attempts: int = 2,
        retry_delay: float = 1.0,
        fetch_timeout: float = 120.0,
        max_bytes: int | None = None,
        limits: Limits | None = None,
    ):
        self.source = Path(source).expanduser() if source else None
        if self.source is not None and not self.source.exists():
            raise MediaError(f"{self.source} does not exist")
        if self.source is not None and not (self.source.is_dir() or is_archive(self.source)):
            raise MediaError(f"{self.source} is neither a folder nor a tar or zip archive")
        self.fetching = fetch
        self.workers, self.attempts, self.retry_delay = workers, attempts, retry_delay
        self.fetch_timeout = fetch_timeout
        self.max_bytes = max_bytes or filmstrip_settings.MAX_UPLOAD_BYTES
        self.limits = limits or Limits(max_member_bytes=self.max_bytes)
        self._scratch: Path | None = None
        self._index: dict[str, dict[str, Path | None]] | None = None
        self._fetched: dict[str, Lookup] = {}  # by URL
        self._lock = threading.Lock()
        self._count = 0

    def __enter__(self) -> "MediaLibrary":
        self.open()
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def open(self) -> None:
        """Unpack and index the source now, so a refused archive stops the import early."""
        try:
            self._files()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None
        self._index = None
        self._fetched.clear()

    def find(self, attachment: Attachment | None, url: str = "") -> Path | None:
        return self.lookup(attachment, url).path

    def lookup(self, attachment: Attachment | None, url: str = "") -> Lookup:
        paths, urls = wanted(attachment, url)
        name = paths[0] if paths else (attachment.url if attachment else url) or "the photo"
        reasons = []
        if self.source is not None:
            for path in paths:
                found = self._local(path)
                if found is not None:
                    return Lookup(found, source=path)
            reasons.append(f"{name} is not in {self.source.name}")
        if self.fetching and urls:
            fetched = self._fetch_first(urls)
            if fetched.path is not None:
                return fetched
            reasons.append(fetched.reason)
        elif self.fetching:
            reasons.append(f"{url or name} is not the address of a WordPress upload")
        elif self.source is None:
            reasons.append(f"{name}: no media folder given, and fetching is off")
        return Lookup(None, "; ".join(reasons))

    def prefetch(
        self,
        wanted_photos: Iterable[tuple[Attachment | None, str]],
        on_progress: Callable[[int, int], None] | None = None,
    ) -> None:
        """Fetch, a few at a time, the photos not in the media folder; ``find`` then has them."""
        if not self.fetching:
            return
        jobs: dict[str, list[str]] = {}  # by the URL tried first, so none is fetched twice
        for attachment, url in wanted_photos:
            paths, urls = wanted(attachment, url)
            local = self.source is not None and any(self._local(p) for p in paths)
            if urls and not local and urls[0] not in self._fetched:
                jobs.setdefault(urls[0], urls)
        done = 0
        with ThreadPoolExecutor(self.workers, thread_name_prefix="filmstrip-media") as pool:
            for _ in pool.map(self._fetch_first, jobs.values()):
                done += 1
                if on_progress:
                    on_progress(done, len(jobs))

    # The media folder.

    def _files(self) -> dict[str, dict[str, Path | None]]:
        """The source's files, by "YYYY/MM/name" and, for those outside dated folders, by name
        (None where two share a name: neither is taken by name alone)."""
        if self._index is not None:
            return self._index
        index: dict[str, dict[str, Path | None]] = {"dated": {}, FLAT: {}}
        if self.source is not None:
            root = self.source if self.source.is_dir() else self._unpack(self.source)
            for folder, dirs, files in os.walk(root):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for file in sorted(files):
                    if not file.startswith("."):
                        _add(index, root, Path(folder) / file)
        self._index = index
        return index

    def _local(self, path: str) -> Path | None:
        """The file at ``path`` in the uploads, else one of its name kept outside dated folders
        (a folder of originals handed over flat; a name found twice there is not taken)."""
        index = self._files()
        path = unicodedata.normalize("NFC", path)
        found = index["dated"].get(path) if DATED.match(path) else None
        return found or index[FLAT].get(path.rpartition("/")[2])

    def _unpack(self, archive: Path) -> Path:
        destination = self._scratch_dir() / "unpacked"
        try:
            extract(archive, destination, self.limits)
        except ArchiveError as exc:
            raise MediaError(f"{archive.name}: {exc}") from exc
        return destination

    def _scratch_dir(self) -> Path:
        with self._lock:
            if self._scratch is None:
                self._scratch = Path(tempfile.mkdtemp(prefix="filmstrip-wordpress-"))
            return self._scratch

    # Fetching.

    def _fetch_first(self, urls: list[str]) -> Lookup:
        """The first of ``urls`` that answers with a photo, each fetched once per library."""
        reasons = []
        for url in urls:
            if url not in self._fetched:
                self._fetched[url] = self._download(url)
            if self._fetched[url].path is not None:
                return self._fetched[url]
            reasons.append(self._fetched[url].reason)
        return Lookup(None, "; ".join(reasons))

    def _download(self, url: str) -> Lookup:
        """``url`` tried ``attempts`` times, unless its answer says trying again is pointless."""
        for attempt in range(1, self.attempts + 1):
            found, reason, final = self._download_one(url)
            if found is not None:
                return Lookup(found, source=url)
            if final or attempt == self.attempts:
                return Lookup(None, f"{url}: {reason}")
            time.sleep(self.retry_delay)
        raise AssertionError("attempts must be 1 or more")

    def _download_one(self, url: str) -> tuple[Path | None, str, bool]:
        """(file, reason, whether trying again is pointless)."""
        with self._lock:
            self._count += 1
            count = self._count
        folder = self._scratch_dir() / "fetched" / str(count)
        folder.mkdir(parents=True)
        target = folder / _file_name(url)
        try:
            with open(target, "wb") as out:
                answer = fetch(
                    url,
                    headers={"User-Agent": _user_agent(), "Accept": "image/*"},
                    timeout=self.fetch_timeout,
                    max_bytes=self.max_bytes,
                    into=out,
                )
        except (FetchError, OSError) as exc:
            return _failed(folder, str(exc), final=False)
        except ValueError as exc:  # an address that is no URL at all
            return _failed(folder, f"not a usable address: {exc}", final=True)
        if answer.status != 200:
            gone = answer.status in (401, 403, 404, 410)
            return _failed(folder, f"the server answered {answer.status}", final=gone)
        if answer.truncated:
            return _failed(folder, f"larger than {self.max_bytes} bytes", final=True)
        if answer.content_type.startswith("text/"):
            return _failed(folder, f"not a photo but {answer.content_type}", final=True)
        return target, "", True


def _add(index: dict[str, dict[str, Path | None]], root: Path, file: Path) -> None:
    # Keys in one Unicode form: macOS writes names decomposed, a URL has them composed.
    parts = unicodedata.normalize("NFC", str(file.relative_to(root))).split(os.sep)
    if len(parts) >= 3 and re.fullmatch(r"\d{4}/\d{2}", "/".join(parts[-3:-1])):
        index["dated"].setdefault("/".join(parts[-3:]), file)
        return
    name = parts[-1]
    index[FLAT][name] = None if name in index[FLAT] else file


def _failed(folder: Path, reason: str, *, final: bool) -> tuple[None, str, bool]:
    shutil.rmtree(folder, ignore_errors=True)  # no half-fetched file lingers
    return None, reason, final


def _file_name(url: str) -> str:
    """The fetched file's name: the URL's own (the photo keeps it), made safe to write."""
    try:
        name = PurePosixPath(unquote(urlsplit(url).path)).name.replace("\x00", "")
    except ValueError:
        return "photo"
    if name in ("", ".", ".."):
        return "photo"
    stem, dot, extension = name.rpartition(".")
    return f"{stem[:150]}{dot}{extension[:20]}" if dot else name[:150]


def _user_agent() -> str:
    return f"Filmstrip (WordPress import; {django_settings.SITE_URL})"
