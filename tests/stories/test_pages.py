import gzip
import shutil
import subprocess
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.utils import timezone

from filmstrip.photos.intake import add_photo
from filmstrip.stories import publishing
from filmstrip.stories.models import Story, StoryItem
from tests.conftest import ESSAY_PHOTOS, corpus_file

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_the_essay_page_has_the_reference_structure(client, essay):
    response = client.get(essay.get_absolute_url())
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text() == "A Half Marathon in Pyongyang"
    intro_link = page.select_one(".intro a")
    assert intro_link["href"] == "https://www.nknews.org/"
    figures = page.select("figure.photo")
    assert [f.figcaption.get_text() for f in figures] == [
        "Caption 0 with a link",
        "Caption 1 with a link",
        "Caption 2 with a link",
    ]
    for i, figure in enumerate(figures):
        img = figure.img
        assert img["alt"] == f"Alt {i}"
        assert int(img["width"]) > 0 and int(img["height"]) > 0
        assert "w," in img["srcset"] and img["sizes"]
        assert figure.source["type"] == "image/webp"
        assert figure["id"].startswith("photo-")
    assert [f.img.get("loading") for f in figures] == [None, "lazy", "lazy"]
    assert figures[0].img["fetchpriority"] == "high"
    passage = page.select_one(".passage")
    assert passage.em.get_text() == "photos"
    assert passage.find_previous("figure") is figures[0]  # text sits where the author put it
    assert "please link back to this page" in page.select_one(".licence").get_text()
    assert (
        page.select_one("#comments h2").get_text() == "0 thoughts on “A Half Marathon in Pyongyang”"
    )
    assert page.select_one("#respond") is not None


def test_updated_line_appears_only_after_a_later_change(client, essay):
    assert "Updated" not in soup(client.get(essay.get_absolute_url())).select_one(".dateline").text
    publishing.changed(essay)
    dateline = soup(client.get(essay.get_absolute_url())).select_one(".dateline").get_text()
    assert dateline.startswith("Updated ")
    assert timezone.localdate().strftime("%B") in dateline


def test_a_pending_photo_shows_a_placeholder_of_the_right_shape(client, essay):
    photo, _ = add_photo(corpus_file(ESSAY_PHOTOS[3]))  # queued, not processed
    StoryItem.objects.create(story=essay, position=10, photo=photo, alt_text="Dunes")
    placeholder = soup(client.get(essay.get_absolute_url())).select(".photo-pending")
    assert len(placeholder) == 1
    assert f"aspect-ratio:{photo.width}/{photo.height}" in placeholder[0]["style"]
    assert placeholder[0]["role"] == "img" and placeholder[0]["aria-label"] == "Dunes"


def test_public_pages_are_the_same_bytes_for_every_anonymous_reader(client, essay):
    for url in ("/", essay.get_absolute_url()):
        first, second = client.get(url), client.get(url)
        assert first.content == second.content
        assert not first.cookies, "a public page must not set cookies"
        assert "Cookie" not in first.get("Vary", "")
        assert "public" in first["Cache-Control"]
        assert b"csrfmiddlewaretoken" not in first.content


def test_drafts_are_hidden_from_everyone_but_their_author_and_staff(client, essay):
    draft = Story.objects.create(title="Never shown", author=essay.author)
    assert client.get(draft.get_absolute_url()).status_code == 404
    publishing.unpublish(essay)
    url = essay.get_absolute_url()
    assert client.get(url).status_code == 410  # once public: withdrawn, not unknown
    User.objects.create_user("bob", password="pw")
    client.login(username="bob", password="pw")
    assert client.get(url).status_code == 410
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.login(username="ann", password="pw")
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "Preview" in soup(response).select_one(".preview-note").text


def test_scheduled_in_the_future_is_not_public_yet(client, essay):
    publishing.publish(essay, when=timezone.now() + timedelta(days=1))
    assert client.get(essay.get_absolute_url()).status_code == 404
    assert essay.title not in client.get("/").content.decode()


def test_home_lists_published_essays_newest_first(client, essay):
    newer = Story.objects.create(title="Newer essay")
    publishing.publish(newer)
    Story.objects.create(title="Still a draft")
    page = soup(client.get("/"))
    titles = [h2.get_text() for h2 in page.select(".story-card h2")]
    assert titles == ["Newer essay", "A Half Marathon in Pyongyang"]


def test_essay_queries_do_not_grow_with_photos(
    client, essay, ready_photo, django_assert_max_num_queries
):
    # story, items with photos and renditions, tags, comments, links back, sign-in providers
    # added in the admin, the site settings (once, however many photos ask)
    with django_assert_max_num_queries(8):
        client.get(essay.get_absolute_url())
    StoryItem.objects.create(story=essay, position=20, photo=ready_photo(ESSAY_PHOTOS[3]))
    with django_assert_max_num_queries(8):
        client.get(essay.get_absolute_url())


def test_unsafe_markup_in_author_text_is_neutralised(client, essay):
    # (the link in a paragraph of its own: after a <script> line, CommonMark reads it as HTML)
    essay.intro = (
        "<script>alert(1)</script><img src=x onerror=alert(2)>\n\n[x](javascript:alert(3))"
    )
    essay.save()
    item = essay.items.filter(kind="photo").first()
    item.caption = '<iframe src="https://evil.example"></iframe>Caption'
    item.alt_text = '"><script>alert(4)</script>'
    item.save()
    html = client.get(essay.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "onerror" not in html and "javascript:" not in html
    assert "<iframe" not in html
    assert 'alt="&quot;&gt;&lt;script&gt;alert(4)&lt;/script&gt;"' in html


def test_renditions_are_served_immutable_and_originals_never(client, essay):
    photo = essay.items.filter(kind="photo").first().photo
    rendition = photo.renditions.first()
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] in (b"\xff\xd8", b"RI")
    assert (
        "immutable" in response["Cache-Control"] and "max-age=31536000" in response["Cache-Control"]
    )
    assert client.get("/media/" + photo.original.name).status_code == 404
    assert client.get("/media/r/../originals/" + photo.original.name).status_code == 404


@pytest.mark.skipif(not shutil.which("exiftool"), reason="needs exiftool")
def test_originals_are_offered_only_where_the_essay_allows(client, essay):
    item = essay.items.filter(kind="photo").first()
    url = f"{essay.get_absolute_url()}photos/{item.photo_id}/original"
    assert client.get(url).status_code == 404
    assert not soup(client.get(essay.get_absolute_url())).select("a.original")
    essay.allow_downloads = True
    essay.save()
    link = soup(client.get(essay.get_absolute_url())).select_one(".photo-actions a.original")
    assert link["href"] == url
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    # Named as it was uploaded (the corpus file, or the demo's copy of it without the corpus).
    expected = f'attachment; filename="{item.photo.original_filename}"'
    assert response["Content-Disposition"] == expected
    publishing.unpublish(essay)
    assert client.get(url).status_code == 404


@pytest.mark.skipif(not shutil.which("exiftool"), reason="needs exiftool")
def test_a_downloaded_original_has_no_location_unless_the_author_shares_it(
    client, ready_photo, tmp_path
):
    from filmstrip.imaging import probe

    photo = ready_photo("photos/exif-py/jpg/gps/DSCN0010.jpg")
    story = Story.objects.create(title="Tuscany", allow_downloads=True)
    StoryItem.objects.create(story=story, photo=photo, alt_text="A street")
    publishing.publish(story)
    url = f"{story.get_absolute_url()}photos/{photo.pk}/original"
    downloaded = tmp_path / "download.jpg"
    downloaded.write_bytes(b"".join(client.get(url)))
    info = probe(downloaded)
    # Only orientation, colour and rights are kept: not even the camera's name.
    assert info.location is None and info.camera_model == ""
    read = ["exiftool", "-s", "-G1", "-a", "-u", "-ee", str(downloaded)]
    told = subprocess.run(read, capture_output=True, text=True, check=True).stdout
    assert "GPS" not in told and "Serial" not in told and "Model" not in told
    assert (info.width, info.height) == (photo.width, photo.height)
    story.share_location = True
    story.save()
    downloaded.write_bytes(b"".join(client.get(url)))
    assert probe(downloaded).location is not None


def test_an_original_that_cannot_be_cleaned_is_not_offered(client, ready_photo, monkeypatch):
    from filmstrip.imaging.metadata import MetadataError

    def fails(*args, **kwargs):
        raise MetadataError("ExifTool could not do it (Can't write RIFF files)")

    monkeypatch.setattr("filmstrip.photos.originals.for_download", fails)
    photo = ready_photo("photos/immich-test-assets/formats/webp/denali.webp")
    assert photo.withheld_reason == "ExifTool could not do it (Can't write RIFF files)"
    story = Story.objects.create(title="Denali", allow_downloads=True, share_location=True)
    StoryItem.objects.create(story=story, photo=photo, alt_text="A road")
    publishing.publish(story)
    url = f"{story.get_absolute_url()}photos/{photo.pk}/original"
    assert client.get(url).status_code == 404
    assert not soup(client.get(story.get_absolute_url())).select("a.original")


def test_browsers_revalidate_public_pages_cheaply(client, essay):
    response = client.get(essay.get_absolute_url())
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=300"
    assert response.get("ETag")
    again = client.get(essay.get_absolute_url(), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_intro_excerpts_are_escaped_once(client, essay):
    essay.intro = "Tom & Jerry ran *fast*."
    essay.save()
    html = client.get("/").content.decode()
    assert "Tom &amp; Jerry ran fast." in html and "&amp;amp;" not in html


def test_public_pages_are_compressed_and_drafts_are_not(client, essay):
    response = client.get(essay.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"] and "Cookie" not in response["Vary"]
    feed = client.get("/feed/atom/", HTTP_ACCEPT_ENCODING="gzip")
    assert feed["Content-Encoding"] == "gzip"
    confirm = client.get(f"/comments/{essay.slug}/confirm", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in confirm  # it carries a CSRF token: no BREACH oracle


def test_static_files_are_compressed(client):
    response = client.get("/static/filmstrip/lightbox.js", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    body = gzip.decompress(b"".join(response.streaming_content))
    assert b"PhotoSwipeLightbox" in body
