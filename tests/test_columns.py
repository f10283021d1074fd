"""Values are cut to their column's width as the model states it, read in one place: a change
of max_length needs no other edit."""

import pytest
from django.utils import timezone

from filmstrip.columns import clip, clipped, width
from filmstrip.comments.models import Comment
from filmstrip.imaging import probe
from filmstrip.photos.intake import add_photo
from filmstrip.photos.models import Photo
from tests.conftest import corpus_file

FALCON = "photos/immich-test-assets/albums/nature/prairie_falcon.jpg"


def test_clip_reads_the_width_from_the_model():
    assert width(Comment, "author_name") == 100
    assert clip(Comment, "author_name", "x" * 150) == "x" * 100
    assert clip(Comment, "author_name", "Ann") == "Ann"
    assert clipped(Comment, author_name="y" * 101, author_url="") == {
        "author_name": "y" * 100,
        "author_url": "",
    }


@pytest.mark.django_db
def test_a_photo_s_texts_follow_a_changed_column_width(monkeypatch):
    for name in ("original_filename", "camera_make", "camera_model"):
        monkeypatch.setattr(Photo._meta.get_field(name), "max_length", 3)
    path = corpus_file(FALCON)
    facts = probe(path)
    assert len(facts.camera_make) > 3 and len(facts.camera_model) > 3
    photo, _ = add_photo(path, original_filename="falcon.jpg")
    photo.refresh_from_db()
    assert photo.original_filename == "fal"
    assert (photo.camera_make, photo.camera_model) == (
        facts.camera_make[:3],
        facts.camera_model[:3],
    )


@pytest.mark.django_db
def test_a_link_back_s_host_follows_a_changed_column_width(monkeypatch):
    from filmstrip.backlinks.models import Backlink
    from filmstrip.stories.models import Story

    monkeypatch.setattr(Backlink._meta.get_field("source_host"), "max_length", 7)
    story = Story.objects.create(title="Walks")
    link = Backlink.objects.create(
        kind="webmention",
        story=story,
        source="https://blog.example.org/p",
        target="https://x.org/",
        received_at=timezone.now(),
    )
    assert link.source_host == "blog.ex"


@pytest.mark.django_db
def test_the_studio_s_new_essay_and_upload_names_follow_their_column_widths(client, monkeypatch):
    from django.contrib.auth.models import User

    from filmstrip.stories.models import Story
    from filmstrip.studio.models import Upload

    monkeypatch.setattr(Story._meta.get_field("title"), "max_length", 5)
    monkeypatch.setattr(Upload._meta.get_field("filename"), "max_length", 12)
    client.force_login(User.objects.create_user("ed", "ed@example.org", "pw", is_staff=True))
    client.post("/studio/new", {"title": "A long walk in the hills"})
    story = Story.objects.get()
    assert story.title == "A lon"
    client.post(
        f"/studio/{story.pk}/uploads",
        {"name": "a-long-walk-in-the-hills.jpg", "size": 10},
        content_type="application/json",
    )
    assert Upload.objects.get().filename == "a-long-w.jpg"


@pytest.mark.django_db
def test_tag_and_essay_slugs_follow_their_column_widths(monkeypatch):
    from filmstrip.stories.models import Story, Tag, unique_slug

    monkeypatch.setattr(Tag._meta.get_field("slug"), "max_length", 4)
    monkeypatch.setattr(Story._meta.get_field("slug"), "max_length", 26)  # 20 kept for "-2"
    assert Tag.objects.create(name="Mountains").slug == "moun"
    assert unique_slug("Walking in the hills") == "walkin"
