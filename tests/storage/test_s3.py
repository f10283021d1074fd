"""Originals, renditions and published pages on a real Ceph object gateway (tests/s3server.py).

What readers and strangers get is asked of the gateway over plain HTTP (urllib, no credentials),
not of django-storages.
"""

import json
import os
import re
import subprocess
import sys
import textwrap
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import pyvips
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from filmstrip.photos.intake import add_photo
from filmstrip.photos.models import Photo
from filmstrip.photos.processing import process_photo
from filmstrip.storage.probes import check_buckets
from tests.storage.conftest import ORIGINALS, PUBLIC, environment

pytestmark = [pytest.mark.s3, pytest.mark.django_db]


def fetch(url: str):
    """An anonymous GET: (status, headers, body)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


@pytest.fixture
def photo(s3_settings, tmp_path):
    path = tmp_path / "harbour.jpg"
    (pyvips.Image.black(640, 400) + [30, 90, 160]).cast("uchar").write_to_file(str(path))
    photo, _ = add_photo(path)
    assert process_photo(photo.pk) == Photo.Status.READY
    photo.refresh_from_db()
    return photo


def test_originals_are_private_and_renditions_public_and_immutable(photo, s3):
    original = photo.original.name
    assert original.startswith("originals/")
    assert s3.head_object(Bucket=ORIGINALS, Key=original)["ContentLength"] == photo.size_bytes
    # The gateway itself refuses a stranger the original, whatever URL they try.
    endpoint = s3.meta.endpoint_url
    assert fetch(f"{endpoint}/{ORIGINALS}/{original}")[0] == 403
    assert fetch(photo.original.url.split("?")[0])[0] == 403
    renditions = list(photo.renditions.all())
    assert renditions
    for rendition in renditions:
        url = default_storage.url(rendition.name)
        assert url == f"{endpoint}/{PUBLIC}/media/{rendition.name}"  # no signature to expire
        status, headers, body = fetch(url)
        assert status == 200
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert headers["Content-Type"] == f"image/{rendition.format}"
        decoded = pyvips.Image.new_from_buffer(body, "")
        assert (decoded.width, decoded.height) == (rendition.width, rendition.height)
        with pytest.raises(s3.exceptions.ClientError):
            s3.head_object(Bucket=ORIGINALS, Key=rendition.name)  # only in the public bucket


def test_a_published_page_links_its_photos_in_the_bucket(photo, settings, tmp_path):
    from django.utils import timezone

    from filmstrip.published import rebuild, requests
    from filmstrip.stories.models import Story, StoryItem

    settings.FILMSTRIP_PUBLISHED_DIR = tmp_path / "published"
    story = Story.objects.create(
        title="Harbour", status=Story.Status.PUBLISHED, published_at=timezone.now()
    )
    StoryItem.objects.create(story=story, position=0, photo=photo, caption="Quay", alt_text="Boats")
    rebuild.rebuild([requests.ALL])
    page = (tmp_path / "published" / story.slug / "index.html").read_text()
    names = [r.name for r in photo.renditions.all()]
    media = settings.MEDIA_URL
    assert all(f"{media}{name}" in page for name in names)
    assert not (tmp_path / "published" / "media").exists()  # nothing copied to this disk
    # Every image URL on the page answers a stranger.
    for name in names:
        assert fetch(f"{media}{name}")[0] == 200


def test_a_large_original_is_stored_in_parts_byte_for_byte(s3_settings, s3):
    """Past boto3's multipart threshold (8 MB): the upload Ceph sees is a multipart one."""
    data = os.urandom(9 * 1024 * 1024 + 17)
    name = default_storage.save("originals/zz/large.bin", ContentFile(data))
    head = s3.head_object(Bucket=ORIGINALS, Key=name)
    assert head["ETag"].strip('"').endswith("-2")  # two parts
    with default_storage.open(name, "rb") as f:
        assert f.read() == data
    default_storage.delete(name)
    assert not default_storage.exists(name)


def test_the_start_up_check_passes_on_a_right_configuration(s3_settings):
    assert check_buckets() == []


def test_a_wrong_secret_is_named(s3_settings):
    s3_settings(secret_key="not-the-secret")
    [error] = check_buckets()
    assert error.id == "filmstrip.E040"
    assert "refused FILMSTRIP_S3_SECRET_KEY" in error.msg


def test_a_missing_bucket_is_named(s3_settings):
    s3_settings(bucket_public="no-such-bucket")
    [error] = check_buckets()
    assert "no bucket 'no-such-bucket' (FILMSTRIP_S3_BUCKET_PUBLIC)" in error.msg


def test_an_unreachable_server_is_said(s3_settings):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once closed
    s3_settings(endpoint=f"http://127.0.0.1:{port}")
    [error] = check_buckets()
    assert error.id == "filmstrip.E043" and "FILMSTRIP_S3_ENDPOINT" in error.msg


def test_a_policy_making_originals_public_is_refused(s3_settings, s3):
    bucket = "filmstrip-leaky"
    s3.create_bucket(Bucket=bucket)
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": ["s3:GetObject"],
                "Resource": [f"arn:aws:s3:::{bucket}/*"],
            }
        ],
    }
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    s3_settings(bucket_originals=bucket)
    [error] = check_buckets()
    assert error.id == "filmstrip.E041" and "FILMSTRIP_S3_BUCKET_ORIGINALS" in error.msg
    s3.delete_bucket_policy(Bucket=bucket)
    assert check_buckets() == []


def test_a_public_acl_on_the_originals_bucket_is_refused(s3_settings, s3):
    bucket = "filmstrip-listable"
    s3.create_bucket(Bucket=bucket, ACL="public-read")
    s3_settings(bucket_originals=bucket)
    [error] = check_buckets()
    assert error.id == "filmstrip.E041"


def run_filmstrip(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-m", "filmstrip.cli", *args],
        env={**full, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_filmstrip_refuses_to_start_with_a_wrong_secret(s3_server, tmp_path):
    """Through the real command (the right secret passes the same check above)."""
    env = {"FILMSTRIP_DATA_DIR": str(tmp_path), **environment(s3_server, secret_key="wrong")}
    done = run_filmstrip(env, "check")
    assert done.returncode != 0
    assert "(filmstrip.E040)" in done.stderr and "refused FILMSTRIP_S3_SECRET_KEY" in done.stderr


def test_filmstrip_refuses_half_a_configuration(s3_server, tmp_path):
    env = {"FILMSTRIP_DATA_DIR": str(tmp_path), **environment(s3_server, bucket_public=None)}
    done = run_filmstrip(env, "check")
    assert done.returncode != 0
    assert "FILMSTRIP_S3_BUCKET_PUBLIC is not set" in done.stderr


def test_the_guide_makes_buckets_that_pass_the_start_up_check(s3_server, s3_settings):
    """docs/deployment.md's bucket-making step, run as a reader would run it."""
    guide = (Path(__file__).resolve().parents[2] / "docs" / "deployment.md").read_text()
    [snippet] = re.findall(r"```python\n(.*?)```", guide, re.S)
    buckets = {"bucket_originals": "guide-originals", "bucket_public": "guide-public"}
    env = {**os.environ, **environment(s3_server, **buckets)}
    subprocess.run([sys.executable, "-c", textwrap.dedent(snippet)], env=env, check=True)
    s3_settings(**buckets)
    assert check_buckets() == []


def test_a_deleted_photo_leaves_both_buckets(photo, s3, django_capture_on_commit_callbacks):
    original = photo.original.name
    urls = [default_storage.url(rendition.name) for rendition in photo.renditions.all()]
    assert all(fetch(url)[0] == 200 for url in urls)
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert s3.list_objects_v2(Bucket=ORIGINALS, Prefix=original)["KeyCount"] == 0
    # Gone: a stranger, who may not list the bucket, is told 403 rather than 404 (as by AWS).
    assert [fetch(url)[0] for url in urls] == [403] * len(urls)
    assert (
        s3.list_objects_v2(
            Bucket=PUBLIC, Prefix=f"media/r/{photo.checksum[:2]}/{photo.checksum[:32]}"
        )["KeyCount"]
        == 0
    )


def test_the_content_security_policy_allows_images_from_the_bucket_or_cdn(s3_settings):
    from filmstrip.project import csp

    def images() -> list[str]:
        csp.policy.cache_clear()  # made once per process, from the settings
        try:
            directives = dict(d.strip().split(" ", 1) for d in csp.policy().split(";") if d)
        finally:
            csp.policy.cache_clear()
        return directives["img-src"].split()

    config = s3_settings()
    assert config.endpoint in images()
    s3_settings(public_url="https://cdn.example.org/photos")
    assert "https://cdn.example.org" in images()


def test_a_public_bucket_strangers_cannot_read_is_refused(s3_settings, s3):
    bucket = "filmstrip-closed"
    s3.create_bucket(Bucket=bucket)
    deny = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": ["s3:GetObject"],
                "Resource": [f"arn:aws:s3:::{bucket}/*"],
            }
        ],
    }
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(deny))
    s3_settings(bucket_public=bucket)
    [error] = check_buckets()
    assert error.id == "filmstrip.E042" and "FILMSTRIP_S3_BUCKET_PUBLIC" in error.msg


def test_the_start_up_check_leaves_no_probe_behind(s3_settings, s3):
    assert check_buckets() == []
    s3_settings(bucket_public="no-such-bucket")  # the originals' probe written, then refused
    assert check_buckets()
    for bucket in (ORIGINALS, PUBLIC):
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
        assert not [key for key in keys if "filmstrip-start-check" in key]
