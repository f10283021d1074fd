"""`filmstrip photos prune`: a dry run by default, a grace period, old pipelines' renditions.

Files are made by the tests through the real pipeline and storage (a temporary media folder).
"""

import io
import os
import time
from datetime import timedelta

import pytest
import pyvips
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from filmstrip.photos import jobs
from filmstrip.photos.intake import add_photo
from filmstrip.photos.models import Photo, Rendition
from filmstrip.photos.processing import process_photo
from filmstrip.stories.models import Story, StoryItem

pytestmark = pytest.mark.django_db(transaction=True)

DAYS_AGO = 30


@pytest.fixture
def ladder(settings, media_storage):
    settings.FILMSTRIP_RENDITION_WIDTHS = (320,)
    settings.FILMSTRIP_RENDITION_FORMATS = ("jpeg",)
    return settings


def shown_photo(tmp_path, shade=90) -> Photo:
    """A processed photo in an essay, made from a file the test writes."""
    path = tmp_path / f"walk-{shade}.jpg"
    (pyvips.Image.black(640, 400) + [shade, 120, 40]).cast("uchar").write_to_file(str(path))
    photo, _ = add_photo(path)
    assert process_photo(photo.pk) == Photo.Status.READY
    story = Story.objects.create(title=f"Walk {shade}")
    StoryItem.objects.create(story=story, position=0, photo=photo)
    return Photo.objects.get(pk=photo.pk)


def age(media, *, days=DAYS_AGO) -> None:
    """Everything stored, and every photo's last processing, ``days`` ago."""
    then = time.time() - days * 86400
    for path in media.rglob("*"):
        os.utime(path, (then, then))
    Photo.objects.update(status_changed_at=timezone.now() - timedelta(days=days))


def files(media) -> set[str]:
    return {str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()}


def prune(*args) -> str:
    out = io.StringIO()
    call_command("photos", "prune", *args, stdout=out)
    return out.getvalue()


def reprocess(photo: Photo) -> None:
    jobs.rebuild(Photo.objects.filter(pk=photo.pk))
    assert process_photo(photo.pk) == Photo.Status.READY


def test_renditions_of_an_earlier_pipeline_go_after_the_grace(ladder, media_storage, tmp_path):
    photo = shown_photo(tmp_path)
    old = set(Rendition.objects.values_list("name", flat=True))
    ladder.FILMSTRIP_RENDITION_WIDTHS = (200,)  # the operator changed the ladder
    reprocess(photo)
    current = set(Rendition.objects.values_list("name", flat=True))
    assert old and current and not old & current and old <= files(media_storage)

    # Processed again just now: pages cached in front may still name the old files.
    assert "Would delete 0 photo(s)" in prune("--grace", "7")
    assert "0 rendition(s) of an earlier pipeline" in prune("--grace", "7")

    age(media_storage)
    before = files(media_storage)
    report = prune()  # a dry run, with the default grace of a week
    assert "1 rendition(s) of an earlier pipeline" in report
    assert all("old rendition" in report and name in report for name in old)
    assert "Nothing was deleted: run again with --apply" in report
    assert files(media_storage) == before

    report = prune("--apply")
    assert report.startswith("old rendition") and "Deleted 0 photo(s)" in report
    assert files(media_storage) == before - old
    assert current <= files(media_storage) and photo.original.name in files(media_storage)


def test_a_photo_no_essay_shows_goes_with_its_files_only_after_the_grace(
    ladder, media_storage, tmp_path
):
    kept = shown_photo(tmp_path, shade=10)
    left = shown_photo(tmp_path, shade=200)
    StoryItem.objects.filter(photo=left).update(photo=None, kind="text")  # as an old version did
    assert Photo.objects.filter(pk=left.pk).exists()
    assert "Would delete 0 photo(s)" in prune()  # created just now: within the grace
    Photo.objects.filter(pk=left.pk).update(created_at=timezone.now() - timedelta(days=8))
    age(media_storage)

    report = prune()
    size = left.original.size + sum(left.renditions.values_list("size_bytes", flat=True))
    assert f"photo          {size:>12,} B  {left.original_filename}" in report
    assert "Would delete 1 photo(s) no essay shows" in report
    assert "0 rendition(s) of no photo" in report  # its files are counted with it

    prune("--apply")
    assert list(Photo.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not any(left.checksum[:32] in name for name in files(media_storage))
    assert any(kept.checksum[:32] in name for name in files(media_storage))


def test_a_photo_being_processed_keeps_every_file(ladder, media_storage, tmp_path):
    photo = shown_photo(tmp_path)
    ladder.FILMSTRIP_RENDITION_WIDTHS = (200,)
    reprocess(photo)
    age(media_storage)
    Photo.objects.filter(pk=photo.pk).update(status=Photo.Status.PROCESSING)
    before = files(media_storage)
    assert "0 rendition(s) of an earlier pipeline" in prune("--apply", "--grace", "0")
    assert files(media_storage) == before


def test_files_of_no_photo_go_and_every_referenced_file_stays(ladder, media_storage, tmp_path):
    photo = shown_photo(tmp_path)
    strays = [f"originals/ee/{'e' * 64}.jpg", f"r/ee/{'e' * 32}-digest-480w-q80-v3.webp"]
    for name in strays:
        (media_storage / name).parent.mkdir(parents=True, exist_ok=True)
        (media_storage / name).write_bytes(b"left behind")
    age(media_storage)
    report = prune("--apply")
    assert "1 original(s) of no photo, 1 rendition(s) of no photo" in report
    assert files(media_storage) == {
        photo.original.name,
        *photo.renditions.values_list("name", flat=True),
    }


@pytest.mark.parametrize("args", [["--grace", "-1"], ["--apply", "--dry-run"]])
def test_bad_options_are_refused(media_storage, args):
    with pytest.raises((CommandError, SystemExit)):
        call_command("photos", "prune", *args, stdout=io.StringIO(), stderr=io.StringIO())
