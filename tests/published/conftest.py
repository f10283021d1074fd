from datetime import timedelta

import pytest


@pytest.fixture(autouse=True)
def published_dir(settings, tmp_path):
    """Each test publishes into a fresh directory."""
    folder = tmp_path / "published"
    settings.FILMSTRIP_PUBLISHED_DIR = folder
    return folder


@pytest.fixture
def small_photo(db, tmp_path):
    """A processed photo made by the test itself (no corpus needed)."""
    import pyvips
    from django_tasks_db.models import DBTaskResult

    from filmstrip.photos.intake import add_photo
    from filmstrip.photos.processing import process_photo
    from filmstrip.published.tasks import PHOTO_JOB

    def make(name="small.jpg", colour=(200, 120, 40)):
        path = tmp_path / name
        (pyvips.Image.black(96, 64) + list(colour)).cast("uchar").write_to_file(str(path))
        photo, _ = add_photo(path)
        process_photo(photo.pk)
        DBTaskResult.objects.filter(task_path=PHOTO_JOB).delete()  # done here, not queued
        photo.refresh_from_db()
        return photo

    return make


@pytest.fixture
def story(db, small_photo):
    """A published essay with one photo, one passage of text and a tag."""
    from django.utils import timezone

    from filmstrip.stories.models import Story, StoryItem, Tag

    story = Story.objects.create(
        title="Harbour at Dawn",
        intro="Boats.",
        status=Story.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(days=1),
    )
    StoryItem.objects.create(story=story, position=0, photo=small_photo(), caption="The quay")
    StoryItem.objects.create(story=story, position=1, kind="text", body="Then *light*.")
    story.tags.add(Tag.objects.create(name="Sea"))
    return story
