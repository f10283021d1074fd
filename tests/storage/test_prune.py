"""`filmstrip photos prune` on a real Ceph object gateway: the same references decide, through
the same storage API, and the buckets are then listed by boto3 rather than by Filmstrip."""

import io
from datetime import timedelta

import pytest
import pyvips
from django.core.management import call_command
from django.utils import timezone

from filmstrip.photos import jobs
from filmstrip.photos.intake import add_photo
from filmstrip.photos.models import Photo, Rendition
from filmstrip.photos.processing import process_photo
from filmstrip.storage.config import PUBLIC_FOLDER
from filmstrip.stories.models import Story, StoryItem

pytestmark = [pytest.mark.s3, pytest.mark.django_db(transaction=True)]

ORIGINALS, PUBLIC = "prune-originals", "prune-public"


def keys(s3, bucket: str) -> set[str]:
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return {item["Key"] for page in pages for item in page.get("Contents", [])}


def names(s3, bucket: str) -> set[str]:
    """Storage names: the public bucket keeps them under its folder, as the site's address."""
    folder = f"{PUBLIC_FOLDER}/" if bucket == PUBLIC else ""
    return {key.removeprefix(folder) for key in keys(s3, bucket)}


@pytest.fixture
def buckets(s3, s3_settings, settings):
    """Buckets of this test's own: prune deletes whatever no row of this test's names."""
    for bucket in (ORIGINALS, PUBLIC):
        s3.create_bucket(Bucket=bucket)
    s3_settings(bucket_originals=ORIGINALS, bucket_public=PUBLIC)
    settings.FILMSTRIP_RENDITION_WIDTHS = (320,)
    settings.FILMSTRIP_RENDITION_FORMATS = ("jpeg",)
    yield settings
    for bucket in (ORIGINALS, PUBLIC):
        for key in keys(s3, bucket):
            s3.delete_object(Bucket=bucket, Key=key)
        s3.delete_bucket(Bucket=bucket)


def test_prune_on_s3_deletes_only_what_no_row_names(buckets, s3, tmp_path):
    path = tmp_path / "quay.jpg"
    (pyvips.Image.black(640, 400) + [30, 90, 160]).cast("uchar").write_to_file(str(path))
    photo, _ = add_photo(path)
    assert process_photo(photo.pk) == Photo.Status.READY
    StoryItem.objects.create(story=Story.objects.create(title="Quay"), position=0, photo=photo)
    old = set(Rendition.objects.values_list("name", flat=True))
    buckets.FILMSTRIP_RENDITION_WIDTHS = (200,)  # a new ladder: new names, old files kept
    jobs.rebuild(Photo.objects.filter(pk=photo.pk))
    assert process_photo(photo.pk) == Photo.Status.READY
    current = set(Rendition.objects.values_list("name", flat=True))
    stray_original = f"originals/ee/{'e' * 64}.jpg"
    stray_rendition = f"r/ee/{'e' * 32}-digest-480w-q80-v3.webp"
    s3.put_object(Bucket=ORIGINALS, Key=stray_original, Body=b"GPS and all")
    s3.put_object(Bucket=PUBLIC, Key=f"{PUBLIC_FOLDER}/{stray_rendition}", Body=b"left")
    # The photo was processed again a week ago; every object was stored before this moment.
    Photo.objects.update(status_changed_at=timezone.now() - timedelta(days=8))
    before = (names(s3, ORIGINALS), names(s3, PUBLIC))
    assert old <= before[1]

    out = io.StringIO()
    call_command("photos", "prune", "--grace", "0", stdout=out)
    assert "1 original(s) of no photo, 1 rendition(s) of no photo" in out.getvalue()
    assert f"{len(old)} rendition(s) of an earlier pipeline" in out.getvalue()
    assert (names(s3, ORIGINALS), names(s3, PUBLIC)) == before  # a dry run

    call_command("photos", "prune", "--apply", "--grace", "0", stdout=io.StringIO())
    photo.refresh_from_db()
    assert names(s3, ORIGINALS) == {photo.original.name}
    assert names(s3, PUBLIC) == current
