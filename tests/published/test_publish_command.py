"""`filmstrip publish --all | --check | --to DIR`."""

import errno
import gzip
import io
import shutil

import pytest
from django.core.management import CommandError, call_command

from filmstrip.published import files, rebuild, requests
from filmstrip.published.models import PendingRebuild

pytestmark = pytest.mark.django_db


def publish(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("publish", *args, stdout=out, stderr=err)
    except CommandError as error:
        return 1, out.getvalue() + str(error)
    return 0, out.getvalue()


def test_all_rebuilds_a_deleted_folder_and_check_finds_it_up_to_date(story, published_dir):
    requests.request_rebuild(requests.story_target(story.pk))
    status, output = publish("--all")
    assert status == 0 and "into" in output
    assert not PendingRebuild.objects.exists()  # covered by the whole-site rebuild
    shutil.rmtree(published_dir)
    assert publish("--check")[0] == 1
    publish("--all")
    assert (published_dir / "harbour-at-dawn/index.html.br").exists()
    status, output = publish("--check")
    assert status == 0 and "is up to date" in output, output


def test_check_reports_every_kind_of_difference(story, published_dir):
    publish("--all")
    (published_dir / "harbour-at-dawn/index.html").write_bytes(b"tampered")
    files.remove_document(str(published_dir / "tags/sea/index.html"))
    (published_dir / "old-essay").mkdir()
    (published_dir / "old-essay/index.html").write_text("gone")
    name = next((published_dir / "media/r").rglob("*.*"))
    name.unlink()
    (published_dir / "media/r/00").mkdir()
    (published_dir / "media/r/00/draft.webp").write_bytes(b"x")
    status, output = publish("--check")
    assert status == 1
    assert "differs  /harbour-at-dawn/" in output
    assert "missing  /tags/sea/" in output
    assert "stale    /old-essay/" in output
    assert f"missing  /media/{name.relative_to(published_dir / 'media')}" in output
    assert "stale    /media/r/00/draft.webp" in output


def test_check_reports_a_file_the_full_disk_kept_old(story, published_dir, monkeypatch):
    publish("--all")
    item = story.items.get(kind="photo")
    item.caption = "New words"
    item.save()
    real = files.tempfile.mkstemp

    def disk_full(*args, dir=None, **kwargs):
        if dir and dir.endswith("harbour-at-dawn"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(files.tempfile, "mkstemp", disk_full)
    with pytest.raises(rebuild.WriteFailed):
        rebuild.rebuild([requests.story_target(story.pk)])
    status, output = publish("--check")
    assert status == 1
    assert "failed   /harbour-at-dawn/: [Errno 28] No space left on device" in output
    assert "differs  /harbour-at-dawn/" in output


def test_check_reports_a_directory_of_another_version(story, published_dir):
    publish("--all")
    (published_dir / ".stamp").write_text("older")
    status, output = publish("--check")
    assert status == 1 and "another version" in output


def test_to_writes_a_site_a_static_host_can_serve_with_forms_on_the_live_site(
    story, tmp_path, settings
):
    settings.SITE_URL = "https://photos.example.org"
    settings.ALLOWED_HOSTS = ["photos.example.org"]
    folder = tmp_path / "static-site"
    status, output = publish("--to", str(folder))
    assert status == 0, output
    page = (folder / "harbour-at-dawn/index.html").read_bytes()
    assert gzip.decompress((folder / "harbour-at-dawn/index.html.gz").read_bytes()) == page
    assert b'action="https://photos.example.org/comments/harbour-at-dawn/confirm"' in page
    assert b'href="https://photos.example.org/webmention"' in page
    assert b'data-post="https://photos.example.org/comments/harbour-at-dawn/post"' in page
    assert b'href="/tags/sea/"' in page  # the copy's own pages stay relative
    for needed in page.decode().split('src="/static/')[1:]:
        assert (folder / "static" / needed.split('"')[0]).is_file()
    renditions = list((folder / "media/r").rglob("*.*"))
    assert renditions and all(path.stat().st_nlink == 1 for path in renditions)  # copies
    assert (folder / "feed/atom/index.atom").exists() and (folder / "robots.txt").exists()


def test_a_site_address_the_site_does_not_answer_is_explained(story, tmp_path, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.SITE_URL = "https://photos.example.org"
    with pytest.raises(ImproperlyConfigured, match="FILMSTRIP_ALLOWED_HOSTS"):
        publish("--to", str(tmp_path / "copy"))
