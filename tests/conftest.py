import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("FILMSTRIP_CORPUS", REPO.parent / "shared" / "corpus"))
PHOTOS = CORPUS / "photos"
BAD = CORPUS / "bad"
DEMO_PHOTOS = REPO / "src" / "filmstrip" / "demo" / "photos"


def corpus_file(relative: str) -> Path:
    path = CORPUS / relative
    if not path.exists():
        pytest.fail(f"Test corpus file missing: {path} (set FILMSTRIP_CORPUS to shared/corpus)")
    return path


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
    story.publish(when=timezone.now() - timedelta(days=10))
    return story
