"""The studio's requests through the test client: uploads in chunks, autosave, order, publishing."""

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from filmstrip.comments.models import Comment
from filmstrip.migration.folder import import_folder
from filmstrip.photos.models import Photo
from filmstrip.photos.processing import process_photo
from filmstrip.stories import publishing
from filmstrip.stories.models import Story, StoryItem
from filmstrip.studio.models import Chunk, Upload
from tests.conftest import corpus_file
from tests.studio.conftest import FALCON, RIDGE

pytestmark = pytest.mark.django_db

GPS = "photos/exif-py/jpg/gps/DSCN0010.jpg"


@pytest.fixture
def story(author):
    return Story.objects.create(title="Hills", author=author)


def upload(client, story, relative, chunk=64 * 1024, name=None):
    data = corpus_file(relative).read_bytes()
    started = client.post(
        f"/studio/{story.pk}/uploads",
        {"name": name or relative.rsplit("/", 1)[-1], "size": len(data)},
        content_type="application/json",
    )
    assert started.status_code == 201, started.content
    url = f"/studio/uploads/{started.json()['id']}"
    response = None
    for start in range(0, len(data), chunk):
        part = data[start : start + chunk]
        response = put(client, url, part, start, len(data))
        if start + chunk < len(data):
            assert response.json() == {"offset": start + chunk}, response.content
    return response  # the answer to the last chunk: the new item, a duplicate or a refusal


def put(client, url, part, start, total):
    return client.put(
        url,
        part,
        content_type="application/octet-stream",
        HTTP_CONTENT_RANGE=f"bytes {start}-{start + len(part) - 1}/{total}",
    )


def test_only_staff_reach_the_studio(client):
    assert client.get("/studio/").status_code == 302
    client.force_login(User.objects.create_user("reader"))
    assert client.get("/studio/").status_code == 302


def test_a_photo_uploaded_in_chunks_joins_the_essay_with_its_own_caption(client, story):
    response = upload(client, story, FALCON)
    assert response.status_code == 201
    item = response.json()["item"]
    assert item["filename"] == "prairie_falcon.jpg" and item["status"] == "pending"
    stored = StoryItem.objects.get(pk=item["id"])
    assert (
        stored.story == story
        and stored.photo.checksum == hashlib.sha256(corpus_file(FALCON).read_bytes()).hexdigest()
    )
    assert stored.caption == stored.photo.description
    assert not Upload.objects.exists(), "a finished upload leaves nothing behind"
    story.refresh_from_db()
    assert story.cover == stored.photo


def test_a_dropped_connection_resumes_where_the_server_stopped(client, story):
    data = corpus_file(FALCON).read_bytes()
    started = client.post(
        f"/studio/{story.pk}/uploads",
        {"name": "falcon.jpg", "size": len(data)},
        content_type="application/json",
    ).json()
    url = f"/studio/uploads/{started['id']}"
    assert put(client, url, data[:50_000], 0, len(data)).json() == {"offset": 50_000}
    # The client lost the answer and sends the same chunk again: told where to go on from.
    again = put(client, url, data[:50_000], 0, len(data))
    assert again.status_code == 409 and again.json()["offset"] == 50_000
    assert client.get(url).json() == {"offset": 50_000, "size": len(data)}
    done = put(client, url, data[50_000:], 50_000, len(data))
    assert done.status_code == 201
    photo = StoryItem.objects.get(pk=done.json()["item"]["id"]).photo
    assert photo.size_bytes == len(data)


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "Content-Range"),
        ({"HTTP_CONTENT_RANGE": "bytes 0-9/5"}, "Content-Range"),
        ({"HTTP_CONTENT_RANGE": "bytes 0-99/1000"}, "length"),
    ],
)
def test_malformed_chunks_are_refused(client, story, headers, message):
    upload = Upload.objects.create(story=story, filename="x.jpg", size=1000)
    response = client.put(
        f"/studio/uploads/{upload.pk}", b"0123456789", content_type="image/jpeg", **headers
    )
    assert response.status_code == 400 and message in response.json()["error"]


def test_duplicates_are_skipped_before_and_after_uploading(client, story):
    upload(client, story, FALCON)
    checksum = hashlib.sha256(corpus_file(FALCON).read_bytes()).hexdigest()
    before = client.post(
        f"/studio/{story.pk}/uploads",
        {"name": "copy.jpg", "size": 10, "checksum": checksum},
        content_type="application/json",
    )
    assert before.json() == {"duplicate": True}
    after = upload(client, story, FALCON, name="copy-without-checksum.jpg")
    assert after.json() == {"duplicate": True}
    assert story.items.count() == 1


def test_a_bad_file_is_refused_with_its_reason_and_nothing_kept(client, story):
    response = upload(client, story, "bad/imagetestsuite/png/817f96555e2d683e7b12f778c4e38022.png")
    assert response.status_code == 422
    assert "unreadable image" in response.json()["error"]
    assert story.items.count() == 0 and not Upload.objects.exists()
    assert not Chunk.objects.exists()


def test_too_large_or_empty_files_are_refused_at_once(client, story, settings):
    settings.FILMSTRIP_MAX_UPLOAD_BYTES = 1000
    for size, message in ((5000, "limit"), (0, "empty")):
        response = client.post(
            f"/studio/{story.pk}/uploads",
            {"name": "big.jpg", "size": size},
            content_type="application/json",
        )
        assert response.status_code == 400 and message in response.json()["error"]


def test_uploads_land_in_capture_order_as_the_folder_import_puts_them(
    client, story, photo_folder, author
):
    files = [RIDGE, FALCON, GPS, "photos/immich-test-assets/albums/nature/el_torcal_rocks.jpg"]
    for relative in files:
        photo_folder.add(relative)
        upload(client, story, relative)
    imported = import_folder(photo_folder.path, title="Same files")
    uploaded_order = [(i.photo_id, i.caption, i.alt_text) for i in story.items.all()]
    imported_order = [(i.photo_id, i.caption, i.alt_text) for i in imported.story.items.all()]
    assert uploaded_order == imported_order
    taken = [i.photo.captured_at for i in story.items.all() if i.photo.captured_at]
    assert taken == sorted(taken)


def test_autosave_of_essay_fields_and_items_records_an_update_once_published(
    client, story, ready_photo
):
    item = StoryItem.objects.create(story=story, photo=ready_photo(FALCON))
    saved = client.post(
        f"/studio/{story.pk}/save",
        {"title": "Hills in May", "intro": "A *walk*.", "show_photo_details": True},
        content_type="application/json",
    ).json()
    assert saved["intro_html"] == "<p>A <em>walk</em>.</p>"
    client.post(
        f"/studio/items/{item.pk}/save",
        {"caption": "The falcon", "alt": "A falcon on a post"},
        content_type="application/json",
    )
    item.refresh_from_db()
    story.refresh_from_db()
    assert (item.caption, item.alt_text) == ("The falcon", "A falcon on a post")
    assert story.title == "Hills in May" and story.show_photo_details
    assert story.updated_at is None, "a draft's edits are not updates"
    publishing.publish(story, when=timezone.now() - timedelta(days=3))
    client.post(f"/studio/{story.pk}/save", {"intro": "Changed."}, content_type="application/json")
    story.refresh_from_db()
    assert story.shows_updated
    empty = client.post(f"/studio/{story.pk}/save", {"title": " "}, content_type="application/json")
    assert empty.status_code == 400


def test_reordering_names_items_once_and_keeps_the_unnamed_after(client, story, ready_photo):
    a = StoryItem.objects.create(story=story, position=0, photo=ready_photo(FALCON))
    b = StoryItem.objects.create(story=story, position=1, photo=ready_photo(RIDGE))
    text = StoryItem.objects.create(story=story, position=2, kind="text", body="Between")
    order = f"/studio/{story.pk}/order"
    for bad in ([a.pk, b.pk, text.pk, a.pk], [a.pk, b.pk, 999999], ["x"]):
        assert client.post(order, {"ids": bad}, content_type="application/json").status_code == 400
    ok = client.post(order, {"ids": [text.pk, b.pk, a.pk]}, content_type="application/json")
    assert ok.status_code == 200
    assert list(story.items.values_list("pk", flat=True)) == [text.pk, b.pk, a.pk]
    # A photo that arrived after the author's list was made stays, after the rest.
    client.post(order, {"ids": [a.pk, text.pk]}, content_type="application/json")
    assert list(story.items.values_list("pk", flat=True)) == [a.pk, text.pk, b.pk]


def test_publish_schedule_and_unpublish(client, story):
    later = (timezone.localtime() + timedelta(days=2)).replace(microsecond=0)
    client.post(f"/studio/{story.pk}/publish", {"when": later.strftime("%Y-%m-%dT%H:%M")})
    story.refresh_from_db()
    assert story.status == "published" and not story.is_published  # scheduled, not yet live
    assert client.get(story.get_absolute_url()).status_code == 200  # the author's preview
    client.logout()
    assert client.get(story.get_absolute_url()).status_code == 404
    client.force_login(story.author)
    client.post(f"/studio/{story.pk}/publish")
    story.refresh_from_db()
    assert story.is_published
    client.post(f"/studio/{story.pk}/unpublish")
    story.refresh_from_db()
    assert story.status == "draft"


def test_the_privacy_panel_names_photos_that_could_reveal_a_place(client, story, ready_photo):
    StoryItem.objects.create(story=story, photo=ready_photo(GPS), alt_text="x")
    StoryItem.objects.create(story=story, position=1, photo=ready_photo(FALCON), alt_text="y")
    page = client.get(f"/studio/{story.pk}/").content.decode()
    assert "1 photo record where it was taken (DSCN0010.jpg): kept private" in page
    story.allow_downloads = story.share_location = True
    story.save()
    page = client.get(f"/studio/{story.pk}/").content.decode()
    assert "readers who download the originals will see the place" in page


def test_alt_text_of_only_white_space_is_missing_in_the_studio_as_in_the_admin(client, story):
    def photo(n):
        return Photo.objects.create(
            original_filename=f"{n}.jpg", checksum=f"{n:064x}", size_bytes=1, format="jpeg",
            width=4, height=3,
        )  # fmt: skip

    StoryItem.objects.create(story=story, photo=photo(1), alt_text=" \n\u00a0")
    StoryItem.objects.create(story=story, position=1, photo=photo(2), alt_text="A falcon")
    page = client.get(f"/studio/{story.pk}/").content.decode()
    assert page.count('<li><a href="#item-') == 1  # named by the publish check
    shown = page.count('<p class="alt-warning">') - page.count('<p class="alt-warning" hidden>')
    assert page.count('<p class="alt-warning" hidden>') == 1 and shown >= 1
    assert story.items.missing_alt_text().count() == 1  # what the admin counts


def test_the_essay_list_links_to_the_comments_awaiting_moderation(client, story):
    Comment.objects.create(story=story, author_name="Ann", body="Hi", body_html="<p>Hi</p>")
    page = client.get("/studio/").content.decode()
    assert f'<a href="/studio/comments?story={story.pk}">1 comment</a>' in page  # the desk


def test_a_failed_photo_can_be_retried(client, story, photo_folder):
    response = upload(client, story, FALCON)
    item = StoryItem.objects.get(pk=response.json()["item"]["id"])
    photo = item.photo
    photo.status, photo.failure_reason = "failed", "worker killed"
    photo.save()
    retried = client.post(f"/studio/items/{item.pk}/retry").json()["item"]
    assert retried["status"] == "pending"
    process_photo(photo.pk)
    status = client.get(f"/studio/{story.pk}/status").json()["items"][0]
    assert status["status"] == "ready" and status["thumb"].startswith("/media/r/")


def test_abandoned_uploads_are_swept_after_a_day(client, story):
    old = Upload.objects.create(story=story, filename="left.jpg", size=100)
    old.chunks.create(offset=0, data=b"x" * 10)
    Upload.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    upload(client, story, FALCON)  # starting any upload sweeps the abandoned ones
    assert not Upload.objects.filter(pk=old.pk).exists() and not Chunk.objects.exists()


def test_a_photo_can_carry_its_own_licence_in_an_essay(client, story, ready_photo):
    import json

    from bs4 import BeautifulSoup

    item = StoryItem.objects.create(story=story, photo=ready_photo(FALCON), alt_text="A falcon")
    StoryItem.objects.create(story=story, position=1, photo=ready_photo(RIDGE), alt_text="Ridge")
    by = "https://creativecommons.org/licenses/by/4.0/"
    url = f"/studio/items/{item.pk}/save"
    bad = client.post(url, {"licence_url": "javascript:alert(1)"}, content_type="application/json")
    assert bad.status_code == 400
    client.post(url, {"licence_url": by}, content_type="application/json")
    client.post(f"/studio/{story.pk}/publish")
    page = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")
    figure = page.select_one(f"#photo-{item.photo_id}")
    assert figure.select_one('a[rel="license"]')["href"] == by
    assert not page.select_one(f"#photo-{story.items.last().photo_id} a[rel=license]")
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["image"][0]["license"] == by and data["image"][1]["license"] != by


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("save", {"licence_url": "javascript:alert(document.domain)"}),
        ("save", {"cover": [1]}),
        ("save", {"cover": "abc"}),
        ("save", {"allow_downloads": "false"}),
        ("save", {"title": None}),
        ("uploads", {"name": "x.jpg", "size": [1]}),
        ("delete", {"ids": 5}),
        ("delete", {"ids": ["²"]}),
        ("order", {"ids": "1,2"}),
    ],
)
def test_malformed_editor_requests_are_refused_not_stored(client, story, url, body):
    response = client.post(f"/studio/{story.pk}/{url}", body, content_type="application/json")
    assert response.status_code == 400, response.content
    story.refresh_from_db()
    assert story.licence_url == "" and not story.allow_downloads and story.title == "Hills"


def test_schedule_input_is_read_in_the_site_zone_and_bad_input_is_said(client, story):
    response = client.post(f"/studio/{story.pk}/publish", {"when": "next tuesday"}, follow=True)
    assert "is not a date and time; nothing was scheduled" in response.content.decode()
    story.refresh_from_db()
    assert story.status == "draft"
    client.post(f"/studio/{story.pk}/publish", {"when": "2030-01-01T10:00+02:00"})
    story.refresh_from_db()
    assert story.published_at.isoformat() == "2030-01-01T08:00:00+00:00"


def test_nul_characters_and_long_names_are_handled(client, story):
    client.post(f"/studio/{story.pk}/save", {"intro": "a\x00b"}, content_type="application/json")
    story.refresh_from_db()
    assert story.intro == "ab"
    long_name = "x" * 300 + ".jpg"
    response = upload(client, story, FALCON, name=long_name)
    assert response.json()["item"]["filename"].endswith("x.jpg")
    assert len(response.json()["item"]["filename"]) == 255


def test_the_markdown_preview_nothing_used_is_gone(client, story):
    """The editor previews Markdown with each save's answer; the separate endpoint was dead."""
    response = client.post("/studio/markdown", {"text": "*x*"}, content_type="application/json")
    assert response.status_code == 404
