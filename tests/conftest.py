import atexit
import csv
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.made import MADE, damaged_copies, walk

REPO = Path(__file__).resolve().parent.parent
SHARED_CORPUS = Path(os.environ.get("FILMSTRIP_CORPUS", REPO.parent / "shared" / "corpus"))
# A clone on its own has no shared corpus beside it: tests then read the committed sample, a
# few files of the corpus under the same paths (tests/data/corpus/CREDITS.md), the demo
# essay's photos, which are unchanged copies of corpus files, and files the tests make in place
# of the rest (tests/made.py).
HAVE_CORPUS = SHARED_CORPUS.is_dir()
SAMPLE = REPO / "tests" / "data" / "corpus"
CORPUS = SHARED_CORPUS if HAVE_CORPUS else SAMPLE
PHOTOS = CORPUS / "photos"
BAD = CORPUS / "bad"
DEMO_PHOTOS = REPO / "src" / "filmstrip" / "demo" / "photos"

NO_CORPUS = "needs the shared test corpus (../shared/corpus, or set FILMSTRIP_CORPUS)"
NO_SWEEP = "sweeps the whole shared test corpus (../shared/corpus, or set FILMSTRIP_CORPUS)"
_NATURE = "photos/immich-test-assets/albums/nature"
COMMITTED_COPIES = {
    f"{_NATURE}/prairie_falcon.jpg": DEMO_PHOTOS / "prairie-falcon.jpg",
    f"{_NATURE}/tanners_ridge.jpg": DEMO_PHOTOS / "ridge.jpg",
    f"{_NATURE}/el_torcal_rocks.jpg": DEMO_PHOTOS / "el-torcal.jpg",
    f"{_NATURE}/notocactus_minimus.jpg": DEMO_PHOTOS / "cactus.jpg",
    f"{_NATURE}/cyclamen_persicum.jpg": DEMO_PHOTOS / "cyclamen.jpg",
    f"{_NATURE}/silver_fir.jpg": DEMO_PHOTOS / "silver-fir.jpg",
    f"{_NATURE}/wood_anemones.jpg": DEMO_PHOTOS / "wood-anemones.jpg",
    "photos/immich-test-assets/metadata/rating/mongolels.jpg": DEMO_PHOTOS / "dunes.jpg",
    "photos/immich-test-assets/metadata/gps-position/empty_gps.jpg": DEMO_PHOTOS / "cat.jpg",
    "photos/immich-test-assets/formats/webp/denali.webp": DEMO_PHOTOS / "denali-road.webp",
}


def corpus_file(relative: str) -> Path:
    """A file or folder of the shared corpus, else of the committed sample; the test is skipped
    where neither has it."""
    if not HAVE_CORPUS:
        if (SAMPLE / relative).exists():
            return SAMPLE / relative
        if relative in COMMITTED_COPIES or relative in MADE:
            return _stand_in(relative)
        pytest.skip(NO_CORPUS)
    path = CORPUS / relative
    if not path.exists():
        pytest.fail(f"Test corpus file missing: {path} (set FILMSTRIP_CORPUS to shared/corpus)")
    return path


@functools.cache
def _stand_ins() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="filmstrip-corpus-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _stand_in(relative: str) -> Path:
    """The demo's copy of a corpus photo, or a file made in place of one, under the corpus
    file's own path and name (tests check the names that photos are listed and downloaded by)."""
    target = _stand_ins() / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        if relative in COMMITTED_COPIES:
            shutil.copyfile(COMMITTED_COPIES[relative], target)
        else:
            _MAKERS[relative](target)
    return target


# Hostile files made from the sample's own photos, one of each format it has, for the sweeps.
_DAMAGED = damaged_copies(
    [
        SAMPLE / "photos/exif-orientation-examples/Landscape_3.jpg",
        SAMPLE / "photos/exif-orientation-examples/Portrait_6.jpg",
        SAMPLE / "photos/immich-test-assets/metadata/gps-position/thompson-springs.jpg",
        SAMPLE / "photos/immich-test-assets/formats/heic/IMG_2682.heic",
        SAMPLE / "photos/immich-test-assets/formats/avif/8bit-sRGB.avif",
        SAMPLE / "photos/scikit-image-data/astronaut.png",
        SAMPLE / "bad/pngsuite/basn6a08.png",
        DEMO_PHOTOS / "denali-road.webp",
        DEMO_PHOTOS / "cactus.jpg",
    ]
)
_MAKERS = {**MADE, **_DAMAGED, **walk(30)}


@functools.cache
def _stand_in_corpus() -> Path:
    """The sample, the demo's copies, every made file and the damaged copies in one tree laid
    out as the shared corpus is: what the sweeps walk without it."""
    for path in SAMPLE.rglob("*"):
        target = _stand_ins() / path.relative_to(SAMPLE)
        if path.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    for relative in (*COMMITTED_COPIES, *_MAKERS):
        _stand_in(relative)
    return _stand_ins()


def corpus_sweep(relative: str = "") -> Path:
    """A folder (or the manifest) of the shared corpus for a test that counts on all of it;
    without it, of the stand-in corpus, which is smaller: check ``HAVE_CORPUS`` for the counts."""
    if not HAVE_CORPUS:
        return _stand_in_corpus() / relative
    return corpus_file(relative) if relative else CORPUS


def corpus_paths(folder: str, suffixes: tuple[str, ...] = ()) -> list[str]:
    """Corpus-relative paths of the files under ``folder`` (for parametrising at import time,
    where a test cannot be skipped yet); the sample's without the shared corpus."""
    return sorted(
        p.relative_to(CORPUS).as_posix()
        for p in (CORPUS / folder).rglob("*")
        if p.is_file() and (not suffixes or p.suffix.lower() in suffixes)
    )


def corpus_manifest() -> list[dict]:
    """The corpus's MANIFEST.tsv as rows; the sample's rows without the shared corpus."""
    with (CORPUS / "MANIFEST.tsv").open(newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _filmstrip(data_dir: Path, *args: str) -> str:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    env["FILMSTRIP_DATA_DIR"] = str(data_dir)
    command = [Path(sys.executable).with_name("filmstrip"), *args]
    return subprocess.run(
        command, env=env, check=True, capture_output=True, cwd=REPO
    ).stdout.decode()


@functools.cache
def _made_once(demo: bool) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="filmstrip-made-once-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    data = folder / "data"
    if not demo:
        _filmstrip(data, "migrate", "--no-input")
        return data
    migrated(data)
    _filmstrip(data, "demo")
    _filmstrip(data, "worker", "--batch", "--interval", "0.1")
    states = [
        json.loads(line)["status"]
        for line in _filmstrip(data, "photos", "status", "--json").splitlines()
    ]
    assert states and set(states) == {"ready"}, states
    shutil.rmtree(data / "published")  # built for no port in particular: each site builds its own
    return data


def migrated(data_dir, *, demo: bool = False) -> Path:
    """``data_dir`` (made if need be) as `filmstrip migrate` leaves it, and with ``demo`` as
    `filmstrip demo` and a worker then leave it (every demo photo processed): a copy of one
    that the real commands made once in this run. Migrating takes seconds of CPU and the demo's
    16 photos much more; most tests that start `filmstrip` processes only need what they make.
    The tests of `migrate`, `demo` and the worker themselves run them."""
    data_dir = Path(data_dir)
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    made = _made_once(demo)
    # copy2 keeps the modes (0600 database, 0700 folders); each site makes its own secret key.
    ignore = shutil.ignore_patterns("secret_key")
    shutil.copytree(made, data_dir, ignore=ignore, copy_function=shutil.copy2, dirs_exist_ok=True)
    return data_dir


@pytest.fixture(autouse=True)
def media_storage(settings, tmp_path):
    """Each test stores its files in a fresh directory, through the real storage API."""
    media = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media, "base_url": "/media/"},
        },
    }
    settings.MEDIA_ROOT = media
    return media


@pytest.fixture
def photo_folder(tmp_path):
    """A folder to fill with copies of corpus files: ``photo_folder.add(relative, name=None)``."""
    folder = tmp_path / "import"
    folder.mkdir()

    class Folder:
        path = folder

        def add(self, relative: str, name: str | None = None) -> Path:
            target = folder / (name or Path(relative).name)
            shutil.copyfile(corpus_file(relative), target)
            return target

        def write(self, name: str, data: bytes) -> Path:
            target = folder / name
            target.write_bytes(data)
            return target

    return Folder()


@pytest.fixture
def ready_photo(db):
    """Store and process a real photo; returns the ready Photo."""
    from filmstrip.photos.intake import add_photo
    from filmstrip.photos.processing import process_photo

    def make(relative: str = "photos/immich-test-assets/albums/nature/prairie_falcon.jpg"):
        photo, _ = add_photo(corpus_file(relative))
        process_photo(photo.pk)
        photo.refresh_from_db()
        return photo

    return make


ESSAY_PHOTOS = [
    "photos/immich-test-assets/albums/nature/prairie_falcon.jpg",
    "photos/immich-test-assets/albums/nature/tanners_ridge.jpg",
    "photos/immich-test-assets/albums/nature/el_torcal_rocks.jpg",
    "photos/immich-test-assets/metadata/rating/mongolels.jpg",
]


@pytest.fixture
def essay(ready_photo):
    """A published essay of three real, processed photos and a text passage."""
    from datetime import timedelta

    from django.contrib.auth.models import User
    from django.utils import timezone

    from filmstrip.stories import publishing
    from filmstrip.stories.models import Story, StoryItem

    author = User.objects.create_user("ann", password="pw")
    story = Story.objects.create(
        title="A Half Marathon in Pyongyang",
        author=author,
        intro="For the first time in 27 years… my account is [at NK News](https://www.nknews.org/).",
        licence="Use any photos you’d like. But if you do, please link back to this page.",
    )
    for position, relative in enumerate(ESSAY_PHOTOS[:3]):
        photo = ready_photo(relative)
        StoryItem.objects.create(
            story=story,
            position=position * 2,
            photo=photo,
            caption=f"Caption {position} with [a link](https://example.org/)",
            alt_text=f"Alt {position}",
        )
    StoryItem.objects.create(story=story, position=1, kind="text", body="Between *photos*.")
    publishing.publish(story, when=timezone.now() - timedelta(days=10))
    return story


@pytest.fixture
def announced():
    """Every ``public_changed`` sent during the test, as its keyword arguments."""
    from filmstrip.stories.signals import public_changed

    calls = []

    def record(sender, signal, **kwargs):
        calls.append(kwargs)

    public_changed.connect(record, dispatch_uid="tests.announced")
    yield calls
    public_changed.disconnect(dispatch_uid="tests.announced")


@pytest.fixture
def small_photo(db):
    """A processed photo made from one of the demo's committed files (no corpus needed)."""
    from filmstrip.photos.intake import add_photo
    from filmstrip.photos.processing import process_photo

    def make(name: str = "cactus.jpg"):
        photo, _ = add_photo(DEMO_PHOTOS / name)
        process_photo(photo.pk)
        photo.refresh_from_db()
        return photo

    return make
