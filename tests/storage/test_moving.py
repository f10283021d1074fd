"""A site on local disk moves into the buckets through an archive (docs/deployment.md)."""

import hashlib
import urllib.request

import pytest
import pyvips
from django.contrib.auth.models import User
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from filmstrip.migration.archive.export import export_archive
from filmstrip.migration.archive.layout import TABLES
from filmstrip.migration.archive.restore import restore_archive
from filmstrip.photos.intake import add_photo
from filmstrip.photos.models import Photo
from filmstrip.photos.processing import process_photo
from filmstrip.stories.models import Story, StoryItem
from tests.storage.conftest import use_s3

pytestmark = [pytest.mark.s3, pytest.mark.django_db]


def test_an_archive_made_on_local_disk_is_restored_into_the_buckets(
    s3_server, s3, settings, tmp_path
):
    path = tmp_path / "pier.jpg"
    (pyvips.Image.black(400, 300) + [10, 80, 40]).cast("uchar").write_to_file(str(path))
    photo, _ = add_photo(path)  # the test settings' local disk
    process_photo(photo.pk)
    story = Story.objects.create(
        title="Pier", status=Story.Status.PUBLISHED, published_at=timezone.now()
    )
    StoryItem.objects.create(story=story, position=0, photo=photo, caption="The pier")
    export_archive(tmp_path / "site.tar")
    for table in reversed(TABLES):  # a new, empty database
        table.model_class()._default_manager.all().delete()
    User.objects.all().delete()
    DBTaskResult.objects.all().delete()

    buckets = {"bucket_originals": "moved-originals", "bucket_public": "moved-public"}
    for bucket in buckets.values():
        s3.create_bucket(Bucket=bucket)
    use_s3(settings, s3_server, **buckets)
    restore_archive(tmp_path / "site.tar")
    for pk in Photo.objects.filter(status="pending").values_list("pk", flat=True):
        assert process_photo(pk) == Photo.Status.READY

    moved = Photo.objects.get()
    original = s3.get_object(Bucket="moved-originals", Key=moved.original.name)["Body"].read()
    assert hashlib.sha256(original).hexdigest() == moved.checksum == photo.checksum
    for rendition in moved.renditions.all():
        with urllib.request.urlopen(f"{settings.MEDIA_URL}{rendition.name}", timeout=10) as got:
            assert got.status == 200
