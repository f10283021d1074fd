import pytest
from django.core.files.storage import default_storage
from django_tasks_db.models import DBTaskResult

from filmstrip.imaging import ImageError
from filmstrip.photos.intake import add_photo, sha256_file
from filmstrip.photos.models import Photo
from tests.conftest import corpus_file

pytestmark = pytest.mark.django_db

FALCON = "photos/immich-test-assets/albums/nature/prairie_falcon.jpg"


def test_a_photo_is_stored_byte_for_byte_and_queued():
    path = corpus_file(FALCON)
    photo, created = add_photo(path)
    assert created
    assert photo.status == Photo.Status.PENDING
    assert photo.checksum == sha256_file(path)
    assert photo.original.name.startswith("originals/")
    with default_storage.open(photo.original.name, "rb") as stored:
        assert stored.read() == path.read_bytes()
    assert (photo.width, photo.height, photo.format) == (800, 533, "jpeg")
    assert photo.description.startswith("Adult female prairie falcon")
    assert photo.captured_at.year == 2022
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "filmstrip.photos.tasks.process_photo"
    assert queued.args_kwargs["args"] == [photo.pk]


def test_the_same_file_twice_is_stored_once(tmp_path):
    copy = tmp_path / "renamed.jpg"
    copy.write_bytes(corpus_file(FALCON).read_bytes())
    first, _ = add_photo(corpus_file(FALCON))
    second, created = add_photo(copy)
    assert not created and second.pk == first.pk
    assert Photo.objects.count() == 1 and DBTaskResult.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"hello", "not an image"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "SVG"),
    ],
)
def test_bad_files_store_nothing(tmp_path, media_storage, content, reason):
    path = tmp_path / "x.jpg"
    path.write_bytes(content)
    with pytest.raises(ImageError, match=reason):
        add_photo(path)
    assert not Photo.objects.exists() and not DBTaskResult.objects.exists()
    assert not (media_storage / "originals").exists()


def test_limits_are_settings(settings):
    settings.FILMSTRIP_MAX_PIXELS = 100_000
    with pytest.raises(ImageError, match="megapixels, more than the limit"):
        add_photo(corpus_file(FALCON))
    settings.FILMSTRIP_MAX_PIXELS = 10**9
    settings.FILMSTRIP_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ImageError, match="FILMSTRIP_MAX_UPLOAD_BYTES"):
        add_photo(corpus_file(FALCON))


@pytest.mark.parametrize(
    ("relative", "reason"),
    [
        # declares 49157×27397 pixels: refused by FILMSTRIP_MAX_PIXELS, never decoded
        ("bad/imagetestsuite/jpg/6903d4538fd33c8fd0ded32cb30d618e.jpg", "more than the limit"),
        # declares 15.4 million rows: libvips' own header checks refuse it
        ("bad/imagetestsuite/png/817f96555e2d683e7b12f778c4e38022.png", "unreadable image"),
    ],
)
def test_decompression_bombs_are_refused_before_decoding(relative, reason):
    with pytest.raises(ImageError, match=reason):
        add_photo(corpus_file(relative))
    assert not Photo.objects.exists()
