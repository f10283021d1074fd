"""A studio upload finished into a real Ceph gateway, and finished while the gateway is down:
the author is told why, nothing is lost, and the editor's next try completes it."""

import hashlib
import tempfile

import pytest
import pyvips
from django.contrib.auth.models import User

from filmstrip.stories.models import Story
from filmstrip.studio.models import Chunk, Upload
from tests.storage.conftest import ORIGINALS
from tests.storage.test_outage import gateway_down

pytestmark = [pytest.mark.s3, pytest.mark.django_db]

CHUNK = 256 * 1024


@pytest.fixture
def story(client):
    client.force_login(User.objects.create_user("ed", is_staff=True))
    return Story.objects.create(title="Quay")


@pytest.fixture
def jpeg(tmp_path):
    """About 1 MB of real JPEG (noise compresses badly), made here: a few chunks."""
    path = tmp_path / "quay.jpg"
    bands = [pyvips.Image.gaussnoise(700, 500, sigma=60).cast("uchar") for _ in range(3)]
    bands[0].bandjoin(bands[1:]).jpegsave(str(path), Q=95)
    return path.read_bytes()


@pytest.fixture
def own_temp(tmp_path, monkeypatch):
    """The temporary files of this test alone, to see that none is left behind."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def put(client, url, data, start, total):
    return client.put(
        url,
        data,
        content_type="application/octet-stream",
        HTTP_CONTENT_RANGE=f"bytes {start}-{start + len(data) - 1}/{total}",
    )


def originals(s3) -> dict[str, str]:
    listed = s3.list_objects_v2(Bucket=ORIGINALS).get("Contents", [])
    return {o["Key"]: s3.get_object(Bucket=ORIGINALS, Key=o["Key"])["Body"].read() for o in listed}


def test_an_upload_finished_while_the_gateway_is_down_is_kept_and_finished_later(
    client, story, jpeg, s3_server, s3_settings, s3, own_temp
):
    started = client.post(
        f"/studio/{story.pk}/uploads",
        {"name": "quay.jpg", "size": len(jpeg)},
        content_type="application/json",
    ).json()
    url = started["url"]
    last = len(jpeg) // CHUNK * CHUNK
    for start in range(0, last, CHUNK):
        assert put(client, url, jpeg[start : start + CHUNK], start, len(jpeg)).status_code == 200
    before = originals(s3)

    with gateway_down(s3_server):
        failed = put(client, url, jpeg[last:], last, len(jpeg))
    assert failed.status_code == 503
    error = failed.json()["error"]
    assert "object storage could not be reached" in error and "its upload is kept" in error
    assert failed.json()["offset"] == len(jpeg)
    assert originals(s3) == before and not story.items.exists()
    assert Upload.objects.get().received == len(jpeg) and Chunk.objects.exists()
    assert not any(own_temp.iterdir()), "no temporary file left behind"

    # What the editor does on a 503: ask where to go on from, and send from there.
    assert client.get(url).json() == {"offset": len(jpeg), "size": len(jpeg)}
    done = put(client, url, b"", len(jpeg), len(jpeg))
    assert done.status_code == 201, done.content
    item = story.items.get()
    stored = originals(s3)
    assert stored[item.photo.original.name] == jpeg
    assert hashlib.sha256(jpeg).hexdigest() == item.photo.checksum
    assert not Upload.objects.exists() and not Chunk.objects.exists()
    assert not any(own_temp.iterdir())
