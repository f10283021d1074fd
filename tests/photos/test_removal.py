"""Taking a photo down: removed from its last essay or deleted, its files go and its URLs 404.

These tests commit for real (transaction=True): files are deleted only after the commit.
"""

import io
import os
import time
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone
from PIL import Image

from filmstrip.photos import processing, removal
from filmstrip.photos.intake import add_photo
from filmstrip.photos.models import Photo, PhotoLocation, Rendition
from filmstrip.photos.processing import process_photo
from filmstrip.stories import publishing
from filmstrip.stories.models import Story, StoryItem

pytestmark = pytest.mark.django_db(transaction=True)


def gps_jpeg(shade: int) -> bytes:
    """A small JPEG that says where it was taken; ``shade`` makes each one a different file."""
    image = Image.new("RGB", (640, 427), (shade, 120, 200 - shade))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, exif=exif)
    return out.getvalue()


@pytest.fixture
def staff():
    """A signed-in author with the admin's rights: who uses the studio and the admin."""
    user = User.objects.create_superuser("ed", "ed@example.org", "pw")
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def upload(staff, story, data: bytes, name="walk.jpg") -> StoryItem:
    """Send ``data`` through the studio's upload, then process it as the worker does."""
    started = staff.post(
        f"/studio/{story.pk}/uploads", {"name": name, "size": len(data)}, "application/json"
    )
    sent = staff.put(
        f"/studio/uploads/{started.json()['id']}",
        data,
        content_type="application/octet-stream",
        HTTP_CONTENT_RANGE=f"bytes 0-{len(data) - 1}/{len(data)}",
    )
    item = StoryItem.objects.get(pk=sent.json()["item"]["id"])
    if item.photo.status == Photo.Status.PENDING:  # else the same file was stored before
        assert process_photo(item.photo_id) == Photo.Status.READY
    return item


def stored(media, photo: Photo) -> list[str]:
    """The files in the storage directory that belong to ``photo`` (by its checksum)."""
    return sorted(
        str(path.relative_to(media))
        for path in media.rglob("*")
        if path.is_file() and photo.checksum[:32] in path.name
    )


def fetch(client, url):
    response = client.get(url)
    if response.status_code == 200:
        b"".join(response.streaming_content)  # read and close the file
    return response


def essay(staff, title="Paris", publish=True) -> Story:
    story = Story.objects.create(title=title, author=staff.user)
    if publish:
        publishing.publish(story)
    return story


def test_removing_a_photo_in_the_studio_takes_it_down_at_once(staff, media_storage):
    story = essay(staff, publish=False)
    item = upload(staff, story, gps_jpeg(10))
    photo = item.photo
    assert PhotoLocation.objects.filter(photo=photo).exists()
    staff.post(f"/studio/{story.pk}/publish", {"anyway": "1"})  # no alt text
    url = photo.renditions.first().url
    served = fetch(Client(), url)
    assert served.status_code == 200
    assert "immutable" in served["Cache-Control"] and "public" in served["Cache-Control"]
    files = stored(media_storage, photo)
    assert f"originals/{photo.checksum[:2]}/{photo.checksum}.jpg" in files
    assert len(files) == 1 + photo.renditions.count()

    response = staff.post(f"/studio/{story.pk}/delete", {"ids": [item.pk]}, "application/json")

    assert response.status_code == 200
    assert fetch(Client(), url).status_code == 404
    assert fetch(staff, url).status_code == 404
    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert not PhotoLocation.objects.exists() and not Rendition.objects.exists()
    assert stored(media_storage, photo) == []


def test_deleting_an_essay_in_the_admin_takes_its_photos_down(staff, media_storage):
    story = essay(staff)
    photos = [upload(staff, story, gps_jpeg(shade)).photo for shade in (20, 30)]
    urls = [p.renditions.first().url for p in photos]
    assert all(fetch(Client(), url).status_code == 200 for url in urls)

    staff.post(
        "/admin/stories/story/",
        {"action": "delete_selected", "_selected_action": [story.pk], "post": "yes"},
    )

    assert not Story.objects.exists() and not Photo.objects.exists()
    assert all(fetch(Client(), url).status_code == 404 for url in urls)
    assert all(stored(media_storage, p) == [] for p in photos)


def test_deleting_a_photo_in_the_admin_deletes_its_files(staff, media_storage, tmp_path):
    path = tmp_path / "loose.jpg"
    path.write_bytes(gps_jpeg(40))
    one, _ = add_photo(path)  # stored, never placed in an essay
    process_photo(one.pk)
    path.write_bytes(gps_jpeg(50))
    other, _ = add_photo(path)
    process_photo(other.pk)
    assert stored(media_storage, one) and stored(media_storage, other)

    staff.post(f"/admin/photos/photo/{one.pk}/delete/", {"post": "yes"})
    assert stored(media_storage, one) == [] and stored(media_storage, other)
    staff.post(
        "/admin/photos/photo/",
        {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"},
    )
    assert stored(media_storage, other) == [] and not Photo.objects.exists()


def test_a_photo_another_essay_shows_keeps_its_files(staff, media_storage):
    first, second = essay(staff, "Paris"), essay(staff, "France")
    data = gps_jpeg(60)
    item = upload(staff, first, data)
    again = upload(staff, second, data)  # the same file: stored once, one photo in two essays
    photo = item.photo
    assert again.photo_id == photo.pk
    url, files = photo.renditions.first().url, stored(media_storage, photo)

    staff.post(f"/studio/{first.pk}/delete", {"ids": [item.pk]}, "application/json")
    assert Photo.objects.filter(pk=photo.pk).exists()
    assert stored(media_storage, photo) == files
    assert fetch(Client(), url).status_code == 200

    staff.post(f"/studio/{second.pk}/delete", {"ids": [again.pk]}, "application/json")
    assert stored(media_storage, photo) == [] and fetch(Client(), url).status_code == 404


def test_files_a_row_still_names_are_kept_and_stale_renditions_go(staff, media_storage):
    photo = upload(staff, essay(staff), gps_jpeg(70)).photo
    files = stored(media_storage, photo)
    # Asked to delete the files of a photo whose checksum a row still has (the same file
    # uploaded again while an older copy's deletion waited): nothing goes.
    assert removal.delete_files(photo.checksum, photo.original.name) == []
    assert stored(media_storage, photo) == files
    # A rendition of an earlier ladder keeps its file but has no row: it goes with the photo.
    stale = media_storage / "r" / photo.checksum[:2] / f"{photo.checksum[:32]}-old-w10.webp"
    stale.write_bytes(b"old")
    photo.story_items.all().delete()
    assert not stale.exists() and stored(media_storage, photo) == []


def test_renditions_of_an_earlier_ladder_are_served_until_the_photo_goes(staff, media_storage):
    # Processing again drops the rows of renditions it no longer makes, but their files stay for
    # pages cached in front of the site that still name them.
    story = essay(staff)
    item = upload(staff, story, gps_jpeg(75))
    checksum = item.photo.checksum
    name = f"r/{checksum[:2]}/{checksum[:32]}-olddigest-480w-q80-v1.webp"
    (media_storage / name).write_bytes(b"RIFF")
    assert fetch(Client(), f"/media/{name}").status_code == 200
    Story.objects.filter(pk=story.pk).update(status=Story.Status.DRAFT)
    assert fetch(Client(), f"/media/{name}").status_code == 404
    staff.post(f"/studio/{story.pk}/delete", {"ids": [item.pk]}, "application/json")
    assert fetch(staff, f"/media/{name}").status_code == 404
    assert not (media_storage / name).exists()


def test_a_rolled_back_removal_keeps_everything(staff, media_storage):
    item = upload(staff, essay(staff), gps_jpeg(80))
    files = stored(media_storage, item.photo)
    with pytest.raises(RuntimeError), transaction.atomic():
        item.delete()
        raise RuntimeError("the request failed later")
    assert Photo.objects.filter(pk=item.photo_id).exists()
    assert stored(media_storage, item.photo) == files


def test_restoring_an_essay_replaces_its_items_without_deleting_photos(staff, media_storage):
    story = essay(staff, publish=False)
    photo = upload(staff, story, gps_jpeg(90)).photo
    staff.post(f"/studio/{story.pk}/publish", {"anyway": "1"})  # no alt text
    staff.post(f"/studio/{story.pk}/save", {"intro": "Changed"}, "application/json")
    first = story.revisions.last()
    staff.post(f"/studio/{story.pk}/history/{first.pk}/restore")
    assert story.items.get().photo_id == photo.pk  # deleted and made again in one transaction
    assert stored(media_storage, photo)


def test_restoring_says_which_photos_are_gone_for_good(staff):
    story = essay(staff, publish=False)
    kept = upload(staff, story, gps_jpeg(100))
    removed = upload(staff, story, gps_jpeg(110))
    staff.post(f"/studio/{story.pk}/publish", {"anyway": "1"})  # no alt text
    staff.post(f"/studio/{story.pk}/delete", {"ids": [removed.pk]}, "application/json")
    first = story.revisions.last()

    page = staff.post(f"/studio/{story.pk}/history/{first.pk}/restore", follow=True)

    alert = BeautifulSoup(page.content, "html.parser").select_one("[role=alert]").get_text()
    assert "1 photo(s) of that version were deleted" in alert and "upload them again" in alert
    assert [i.photo_id for i in story.items.all()] == [kept.photo_id]


def test_a_photo_deleted_while_it_was_rendered_leaves_no_files(
    media_storage, tmp_path, monkeypatch
):
    path = tmp_path / "late.jpg"
    path.write_bytes(gps_jpeg(120))
    photo, _ = add_photo(path)
    store = processing._store

    def store_while_the_author_deletes_it(*args):
        renditions = store(*args)
        Photo.objects.filter(pk=photo.pk).delete()
        return renditions

    monkeypatch.setattr(processing, "_store", store_while_the_author_deletes_it)
    assert process_photo(photo.pk) == "deleted"
    assert stored(media_storage, photo) == [] and not Rendition.objects.exists()


def test_a_photo_deleted_before_it_was_rendered_ends_its_job_quietly(tmp_path, monkeypatch):
    path = tmp_path / "gone.jpg"
    path.write_bytes(gps_jpeg(125))
    photo, _ = add_photo(path)
    render = processing.Sandbox.render

    def render_after_the_author_deleted_it(self, *args):
        Photo.objects.filter(pk=photo.pk).delete()  # its original goes with it, after the commit
        return render(self, *args)

    monkeypatch.setattr(processing.Sandbox, "render", render_after_the_author_deleted_it)
    monkeypatch.setattr(processing, "_sandbox", None)
    assert process_photo(photo.pk) == Photo.Status.FAILED  # the job ends; nothing is written
    assert not Photo.objects.exists()


def test_draft_renditions_are_for_who_may_preview_them(staff, client):
    story = essay(staff, publish=False)
    photo = upload(staff, story, gps_jpeg(130)).photo
    url = photo.renditions.first().url
    author = User.objects.create_user("ann")
    reader = User.objects.create_user("reader")
    Story.objects.filter(pk=story.pk).update(author=author)
    as_author, as_reader = Client(), Client()
    as_author.force_login(author)
    as_reader.force_login(reader)

    refused = fetch(client, url)
    assert refused.status_code == 404 and "no-store" in refused["Cache-Control"]
    assert fetch(as_reader, url).status_code == 404
    for allowed in (staff, as_author):
        response = fetch(allowed, url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert "immutable" not in response["Cache-Control"]

    story.refresh_from_db()
    publishing.publish(story)
    response = fetch(client, url)
    assert response.status_code == 200 and "immutable" in response["Cache-Control"]
    assert Rendition.objects.public().filter(photo=photo).count() == photo.renditions.count()


def test_a_scheduled_essay_shows_its_photos_only_when_it_is_out(staff, client):
    story = essay(staff, publish=False)
    photo = upload(staff, story, gps_jpeg(140)).photo
    publishing.publish(story, when=timezone.now() + timedelta(days=1))
    assert fetch(client, photo.renditions.first().url).status_code == 404
    assert not Photo.objects.public().exists()


@pytest.mark.parametrize(
    ("path", "status"),
    [("abc%00.webp", 400), ("ab/%00", 400), ("x" * 300, 404), ("%ff%fe.webp", 404), ("../x", 404)],
)
def test_odd_rendition_names_are_refused(client, path, status):
    assert client.get(f"/media/r/{path}").status_code == status


def test_prune_takes_down_what_an_earlier_version_left(staff, media_storage, tmp_path):
    live = upload(staff, essay(staff), gps_jpeg(150)).photo
    path = tmp_path / "old.jpg"
    path.write_bytes(gps_jpeg(160))
    left, _ = add_photo(path)  # removed from its essay by a version that kept it
    process_photo(left.pk)
    path.write_bytes(gps_jpeg(170))
    fresh, _ = add_photo(path)  # an import is about to place it
    hours_ago = time.time() - 2 * 3600
    Photo.objects.filter(pk=left.pk).update(created_at=timezone.now() - timedelta(hours=2))
    orphans = [f"originals/ee/{'e' * 64}.jpg", f"r/ee/{'e' * 32}-digest-480w-q80-v3.webp"]
    for name in [*orphans, f"r/dd/{'d' * 32}-digest-480w-q80-v3.webp"]:
        (media_storage / name).parent.mkdir(parents=True, exist_ok=True)
        (media_storage / name).write_bytes(b"left")
    for name in orphans:
        os.utime(media_storage / name, (hours_ago, hours_ago))
    before = sorted(p for p in media_storage.rglob("*") if p.is_file())

    out = io.StringIO()
    hour = str(1 / 24)
    call_command("photos", "prune", "--grace", hour, stdout=out)  # a dry run unless --apply
    summary = "Would delete 1 photo(s) no essay shows, with their files, 1 original(s) of no "
    assert summary + "photo, 1 rendition(s) of no photo" in out.getvalue()
    assert sorted(p for p in media_storage.rglob("*") if p.is_file()) == before

    call_command("photos", "prune", "--apply", "--grace", hour, stdout=io.StringIO())
    assert set(Photo.objects.values_list("pk", flat=True)) == {live.pk, fresh.pk}
    assert stored(media_storage, left) == [] and stored(media_storage, live)
    assert not any((media_storage / name).exists() for name in orphans)
    assert (media_storage / f"r/dd/{'d' * 32}-digest-480w-q80-v3.webp").exists()  # too new
