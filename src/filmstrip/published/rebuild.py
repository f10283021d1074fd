"""Rebuilding the published site: render what changed once, write it, take away what went.

``rebuild(targets)`` renders every document a change may have touched (see ``paths_for``),
writes each one that Django answers 200 for, and removes the file of each one it no longer
does (404, 410, a redirect): an unpublished essay's folder goes whole. A document Django fails
to render stops the rebuild with the previous files in place; a file that cannot be written
(a full disk) keeps its old version, is logged and recorded, and the rebuild reports failure
so its job runs again.
"""

import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from filmstrip.stories.models import RESERVED_SLUGS, Story, Tag

from . import documents, files, layout, renditions, stamp, versions
from .models import WriteFailure
from .requests import ALL, SITE

logger = logging.getLogger(__name__)

GONE = {301, 302, 404, 410}
STALE_TEMPORARY_SECONDS = 3600
# Headers of a public page that every published file is sent with (the rest are per file).
KEPT_HEADERS = (
    "Cache-Control",
    "Content-Security-Policy",
    "Cross-Origin-Opener-Policy",
    "Referrer-Policy",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "X-Frame-Options",
)


class RenderFailed(Exception):
    pass


class WriteFailed(Exception):
    pass


@dataclass
class RebuildResult:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    exported: renditions.ExportResult | None = None
    interrupted: bool = False

    def as_dict(self) -> dict:
        return {
            "written": len(self.written),
            "unchanged": self.unchanged,
            "removed": len(self.removed),
            "failed": self.failed,
            "interrupted": self.interrupted,
        }


def paths_for(targets) -> tuple[list[str], list[str]]:
    """The URL paths to render for ``targets``, essays' pages first, photo pages last; and the
    folders of essays that are no longer public, to remove whole."""
    if ALL in targets:
        return _ordered(documents.every_path()), _unpublished_folders()
    paths: list[str] = []
    folders: list[str] = []
    for target in targets:
        kind, _, value = target.partition(":")
        if kind == "path":
            paths.append(value)
        elif kind == "story":
            story = Story.objects.filter(pk=int(value)).first()
            if story is not None:
                paths += _story(story, folders)
    if any(target == SITE for target in targets):
        paths += [path for tag in Tag.objects.all() for path in documents.tag_paths(tag)]
    return _ordered([*paths, *documents.site_paths()]), folders


def _story(story: Story, folders: list[str]) -> list[str]:
    paths = [*documents.story_paths(story)]
    paths += [path for tag in story.tags.all() for path in documents.tag_paths(tag)]
    # Photo pages on disk that the essay may no longer show: rendered again, they answer 404.
    photos = os.path.join(layout.root(), story.slug, "photos")
    if os.path.isdir(photos):
        paths += [f"/{story.slug}/photos/{name}/" for name in os.listdir(photos) if name.isdigit()]
    if not story.is_published:
        folders.append(story.slug)
    return paths


def _ordered(paths: list[str]) -> list[str]:
    unique = list(dict.fromkeys(paths))
    return sorted(unique, key=lambda path: "/photos/" in path)  # stable: the rest keep order


def _unpublished_folders() -> list[str]:
    """Folders in the published directory that are no public essay's (nor the site's own)."""
    root = layout.root()
    if not os.path.isdir(root):
        return []
    public = set(Story.objects.published().values_list("slug", flat=True))
    own = {"tags", "feed", "media", *RESERVED_SLUGS}
    return [
        name
        for name in os.listdir(root)
        if os.path.isdir(os.path.join(root, name))
        and not name.startswith(".")
        and name not in public | own
    ]


def rebuild(targets, *, progress=None, newer: Callable[[], bool] | None = None):
    """Render and write the documents of ``targets`` (see requests.py for their names).

    ``progress(done, total, path)`` is told of each document. ``newer()`` is asked before each
    photo page: when it says a newer request waits, the rebuild stops there (``interrupted``),
    so that a comment approved meanwhile reaches its page before 80 photo pages are rendered.
    """
    root = layout.root()
    paths, folders = paths_for(targets)
    result = RebuildResult()
    now_ns = time.time_ns() // 1000 * 1000  # microseconds: what every file system keeps
    for done, path in enumerate(paths, 1):
        if newer and "/photos/" in path and ALL not in targets and newer():
            result.interrupted = True
            return result
        _publish(root, path, now_ns, result)
        if progress:
            progress(done, len(paths), path)
    for slug in folders:
        versions.forget_folder(slug)
        if files.remove_tree(os.path.join(root, slug)):
            result.removed.append(f"/{slug}/")
    if ALL in targets:
        pruned = prune(root, set(paths))
        versions.forget(pruned)
        result.removed += pruned
    result.exported = renditions.export(root)
    if result.failed:
        raise WriteFailed(f"{len(result.failed)} published file(s) could not be written")
    if ALL in targets:
        stamp.write(root)
    return result


def _publish(root: str, path: str, now_ns: int, result: RebuildResult) -> None:
    relative = layout.file_for(path)
    if relative is None:
        return  # a name too long for the file system: Django keeps serving it
    target = os.path.join(root, relative)
    rendered = documents.render(path)
    if rendered.status in GONE:
        versions.forget([path])
        if files.remove_document(target):
            result.removed.append(path)
        return
    if rendered.status != 200:
        raise RenderFailed(f"{path} answered {rendered.status}; the published files are unchanged")
    expected = layout.content_type(relative)
    if _media_type(rendered.content_type) != _media_type(expected):
        raise RenderFailed(f"{path} is {rendered.content_type}, but its file says {expected}")
    try:
        if path == "/":
            _write_headers(root, rendered.headers)
        mtime = versions.modified_ns(path, rendered.content, now_ns)
        if files.write_document(target, rendered.content, mtime):
            result.written.append(path)
        else:
            result.unchanged += 1
    except OSError as error:
        logger.error("Could not write the published file for %s: %s", path, error)
        result.failed[path] = str(error)
        WriteFailure.objects.update_or_create(path=path, defaults={"error": str(error)})
        return
    WriteFailure.objects.filter(path=path).delete()


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def _write_headers(root: str, headers: dict) -> None:
    """The headers Django's middleware gives a public page (security policy, caching), for the
    serving layer to send with every file."""
    kept = {name: headers[name] for name in KEPT_HEADERS if name in headers}
    data = json.dumps(kept, indent=1, sort_keys=True).encode()
    path = os.path.join(root, layout.HEADERS)
    try:
        with open(path, "rb") as handle:
            if handle.read() == data:
                return
    except FileNotFoundError:
        pass
    files.write_atomic(path, data)


def prune(root: str, paths: set[str]) -> list[str]:
    """Remove every document file in ``root`` whose URL path is not among ``paths``."""
    removed = []
    for folder, subfolders, names in os.walk(root):
        relative_folder = os.path.relpath(folder, root)
        if relative_folder == "." and "media" in subfolders:
            subfolders.remove("media")  # renditions: renditions.export keeps those
        for name in names:
            relative = os.path.normpath(os.path.join(relative_folder, name))
            if name.startswith(".tmp-"):
                _remove_if_old(os.path.join(folder, name))  # left by a crash
                continue
            url = layout.url_of(relative)
            if url is not None and url not in paths:
                files.remove_document(os.path.join(folder, name))
                removed.append(url)
    return removed


def _remove_if_old(path: str) -> None:
    """A temporary file left by a rebuild that died (not one another rebuild is writing)."""
    try:
        if time.time() - os.stat(path).st_mtime > STALE_TEMPORARY_SECONDS:
            os.unlink(path)
    except FileNotFoundError:
        pass
