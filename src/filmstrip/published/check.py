"""Is the published directory what rendering would give now? (`filmstrip publish --check`)"""

import gzip
import os
from dataclasses import dataclass, field

import brotli
from django.core.files.storage import default_storage

from filmstrip.photos.models import Rendition

from . import documents, follow, layout, renditions, stamp
from .models import PendingRebuild, WriteFailure


@dataclass
class CheckResult:
    differs: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    outdated: bool = False
    waiting: int = 0
    behind: int | None = None  # changes this machine's follower has still to rebuild

    @property
    def ok(self) -> bool:
        return not (self.differs or self.missing or self.stale or self.failures or self.outdated)

    def lines(self) -> list[str]:
        lines = [f"differs  {path}" for path in self.differs]
        lines += [f"missing  {path}" for path in self.missing]
        lines += [f"stale    {path}" for path in self.stale]
        lines += [f"failed   {failure}" for failure in self.failures]
        if self.outdated:
            lines.append("outdated the directory was built by another version or other settings")
        return lines


def check(progress=None) -> CheckResult:
    root = layout.root()
    result = CheckResult(outdated=not stamp.is_current(root))
    paths = documents.every_path()
    expected = set()
    for done, path in enumerate(paths, 1):
        relative = layout.file_for(path)
        if relative is not None:
            rendered = documents.render(path)
            if rendered.status == 200:
                expected.add(path)
                _compare(os.path.join(root, relative), rendered.content, path, result)
        if progress:
            progress(done, len(paths), path)
    result.stale += _stale_documents(root, expected)
    result.missing += _renditions(root, result)
    result.failures = [str(failure) for failure in WriteFailure.objects.order_by("path")]
    result.waiting = PendingRebuild.objects.count()
    result.behind = follow.behind(root)
    return result


def _compare(full: str, content: bytes, path: str, result: CheckResult) -> None:
    try:
        with open(full, "rb") as handle:
            plain = handle.read()
        with open(f"{full}.gz", "rb") as handle:
            zipped = gzip.decompress(handle.read())
        with open(f"{full}.br", "rb") as handle:
            squeezed = brotli.decompress(handle.read())
    except FileNotFoundError:
        result.missing.append(path)
        return
    except (OSError, EOFError, brotli.error):
        result.differs.append(path)  # a damaged sibling
        return
    if not plain == zipped == squeezed == content:
        result.differs.append(path)


def _stale_documents(root: str, expected: set[str]) -> list[str]:
    stale = []
    for folder, subfolders, names in os.walk(root):
        relative_folder = os.path.relpath(folder, root)
        if relative_folder == "." and "media" in subfolders:
            subfolders.remove("media")
        for name in names:
            url = layout.url_of(os.path.normpath(os.path.join(relative_folder, name)))
            if url is not None and url not in expected:
                stale.append(url)
    return sorted(stale)


def _renditions(root: str, result: CheckResult) -> list[str]:
    """Public renditions not exported; exported ones that are no longer public (as stale)."""
    if not renditions.exported_here():
        return []
    wanted = set(Rendition.objects.public().values_list("name", flat=True))
    present = set(renditions.present_names(os.path.join(root, "media")))
    result.stale += sorted(f"/media/{name}" for name in present - wanted)
    return sorted(
        f"/media/{name}" for name in wanted - present if os.path.exists(default_storage.path(name))
    )
