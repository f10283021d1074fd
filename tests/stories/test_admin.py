import pytest
from django.contrib.auth.models import User

from filmstrip.photos.models import Photo
from filmstrip.stories import publishing
from filmstrip.stories.models import Story, StoryItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def author_client(client):
    user = User.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


def test_admin_flags_missing_alt_text_and_shows_photo_status(author_client, ready_photo):
    story = Story.objects.create(title="Walks")
    StoryItem.objects.create(story=story, position=0, photo=ready_photo(), caption="Falcon")
    listing = author_client.get("/admin/stories/story/").content.decode()
    assert "1 missing" in listing
    filtered = author_client.get("/admin/stories/story/?alt=missing").content.decode()
    assert "Walks" in filtered
    change = author_client.get(f"/admin/stories/story/{story.pk}/change/").content.decode()
    assert "no alt text" in change and "ready" in change


def _photo(n: int) -> Photo:
    return Photo.objects.create(
        original_filename=f"{n}.jpg", checksum=f"{n:064x}", size_bytes=1, format="jpeg", width=4,
        height=3,
    )  # fmt: skip


def test_alt_text_of_only_white_space_is_missing_in_the_admin_as_in_the_studio(author_client):
    story = Story.objects.create(title="Walks")
    blank = StoryItem.objects.create(story=story, photo=_photo(1), alt_text=" \n\t\u00a0")
    StoryItem.objects.create(story=story, position=1, photo=_photo(2), alt_text="A falcon")
    StoryItem.objects.create(story=story, position=2, kind="text", body="Words")
    assert [item.lacks_alt_text for item in story.items.all()] == [True, False, False]
    assert list(story.items.missing_alt_text()) == [blank]
    listing = author_client.get("/admin/stories/story/").content.decode()
    assert "1 missing" in listing
    assert "Walks" in author_client.get("/admin/stories/story/?alt=missing").content.decode()
    change = author_client.get(f"/admin/stories/story/{story.pk}/change/").content.decode()
    assert change.count("no alt text") == 1


def test_photo_admin_lists_failures_with_their_reason(author_client, tmp_path):
    from filmstrip.photos.intake import add_photo
    from filmstrip.photos.processing import process_photo
    from tests.conftest import corpus_file

    data = corpus_file("photos/immich-test-assets/albums/nature/prairie_falcon.jpg").read_bytes()
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(data[:20000])
    photo, _ = add_photo(cut)
    process_photo(photo.pk)
    page = author_client.get("/admin/photos/photo/?status__exact=failed").content.decode()
    assert "cut.jpg" in page and "could not be decoded" in page


def test_editing_a_published_essay_in_the_admin_records_the_update(author_client):
    story = Story.objects.create(title="Walks", intro="Old intro")
    publishing.publish(story)
    form = {
        "title": "Walks",
        "slug": story.slug,
        "status": "published",
        "published_at_0": story.published_at.strftime("%Y-%m-%d"),
        "published_at_1": story.published_at.strftime("%H:%M:%S"),
        "intro": "New intro",
        "licence": story.licence,
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    response = author_client.post(f"/admin/stories/story/{story.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    story.refresh_from_db()
    assert story.intro_html == "<p>New intro</p>" and story.updated_at is not None
