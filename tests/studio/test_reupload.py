"""A file another essay already has is stored once, but this essay's studio names it as this
essay's author did, not by the name the other essay gave it."""

import pytest
from django.contrib.auth.models import User

from filmstrip.migration.archive.export import export_archive
from filmstrip.migration.archive.restore import restore_archive
from filmstrip.stories.models import Story, StoryItem
from filmstrip.studio.models import UploadedName, uploaded_as
from filmstrip.studio.privacy import privacy_report
from filmstrip.studio.publish_flow import missing_alt
from tests.migration.test_archive import wipe
from tests.studio.test_studio import GPS, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(author):
    return Story.objects.create(title="Hills", author=author)


def test_a_file_another_essay_has_keeps_the_name_this_author_gave_it(client, story):
    other = Story.objects.create(title="Streets", author=User.objects.create_user("ann"))
    theirs = upload(client, other, GPS, name="ann-street.jpg").json()["item"]
    ours = upload(client, story, GPS, name="my street.jpg").json()["item"]
    assert ours["photo"] == theirs["photo"], "the same bytes are stored once"
    assert ours["filename"] == "my street.jpg"

    page = client.get(f"/studio/{story.pk}/").content.decode()
    assert 'data-filename="my street.jpg"' in page
    assert 'aria-label="Select my street.jpg"' in page
    listed = client.get(f"/studio/{story.pk}/status").json()["items"]
    assert [i["filename"] for i in listed] == ["my street.jpg"]
    assert privacy_report(story).with_location == ["my street.jpg"]
    assert privacy_report(other).with_location == ["ann-street.jpg"]
    assert [photo.name for photo in missing_alt(story)] == ["my street.jpg"]
    assert "ann-street.jpg" not in page
    their_page = client.get(f"/studio/{other.pk}/").content.decode()
    assert 'data-filename="ann-street.jpg"' in their_page


def test_a_file_this_site_stored_under_the_same_name_needs_no_second_name(client, story):
    other = Story.objects.create(title="Streets")
    upload(client, other, GPS)
    ours = upload(client, story, GPS).json()["item"]
    assert ours["filename"] == "DSCN0010.jpg"
    assert not UploadedName.objects.exists()


def test_the_name_survives_an_archive_and_its_restore(client, story, tmp_path, media_storage):
    other = Story.objects.create(title="Streets")
    upload(client, other, GPS, name="ann-street.jpg")
    upload(client, story, GPS, name="my street.jpg")
    archive = tmp_path / "site.tar"
    export_archive(archive)
    wipe(media_storage)
    restore_archive(archive)
    item = StoryItem.objects.get(story__title="Hills")
    assert uploaded_as(item) == "my street.jpg"
