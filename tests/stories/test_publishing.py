"""stories.publishing: every way an essay is published leaves a "Published" revision and tells the
published site once; a scheduled essay becomes public on its own."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from PIL import Image

from filmstrip.photos import jobs
from filmstrip.photos.processing import process_photo
from filmstrip.stories import publishing
from filmstrip.stories.models import Story, StoryItem, Tag
from filmstrip.stories.tasks import publish_when_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = User.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return user


@pytest.fixture
def draft(staff, small_photo):
    story = Story.objects.create(title="Walks", author=staff)
    StoryItem.objects.create(story=story, photo=small_photo(), alt_text="A cactus")
    return story


def summaries(story):
    return [r.summary for r in story.revisions.all()]


def for_story(announced, story):
    return [
        call for call in announced if call["story"] is not None and call["story"].pk == story.pk
    ]


def admin_form(story, **fields):
    published_at = timezone.localtime(story.published_at or timezone.now())
    return {
        "title": story.title,
        "slug": story.slug,
        "status": story.status,
        "published_at_0": published_at.strftime("%Y-%m-%d") if story.published_at else "",
        "published_at_1": published_at.strftime("%H:%M:%S") if story.published_at else "",
        "intro": story.intro,
        "licence": story.licence,
        "initial-licence": story.licence,  # a field with a callable default: the admin asks
        "author": story.author_id or "",
        "comments_open": "on",
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        **fields,
    }


def test_the_admin_action_publishes_with_a_revision_and_one_announcement(client, draft, announced):
    response = client.post(
        "/admin/stories/story/", {"action": "publish", "_selected_action": [draft.pk]}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published and summaries(draft) == [["Published"]]
    assert len(announced) == 1 and announced[0]["story"].pk == draft.pk
    assert announced[0]["old_paths"] == [] and announced[0]["whole_site"] is False


def test_the_admin_form_publishes_and_edits_with_one_announcement_each(client, draft, announced):
    url = f"/admin/stories/story/{draft.pk}/change/"
    response = client.post(url, admin_form(draft, status="published"))
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.is_published and summaries(draft) == [["Published"]]
    assert len(announced) == 1
    response = client.post(url, admin_form(draft, intro="By the river."))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.updated_at is not None
    assert len(announced) == 2 and summaries(draft)[0] == ["Intro changed"]
    client.post(url, admin_form(draft))  # saved unchanged: nothing to tell
    assert len(announced) == 2


def test_the_studio_publishes_with_a_revision_and_one_announcement(client, draft, announced):
    client.post(f"/studio/{draft.pk}/publish")
    draft.refresh_from_db()
    assert draft.is_published and summaries(draft) == [["Published"]]
    assert len(announced) == 1


def test_the_folder_import_publishes_with_a_revision_and_one_announcement(tmp_path, announced):
    from filmstrip.migration.folder import import_folder

    folder = tmp_path / "walk"
    folder.mkdir()
    for n, colour in enumerate(["red", "green"]):
        Image.new("RGB", (64, 48), colour).save(folder / f"{n}.jpg", quality=80)
    result = import_folder(folder, title="Walk", publish=True)
    story = result.story
    assert story.is_published and summaries(story) == [["Published"]]
    assert len(announced) == 1 and announced[0]["story"].pk == story.pk


def test_the_demo_publishes_with_a_revision_and_one_announcement(announced, capsys):
    call_command("demo")
    story = Story.objects.get()
    assert story.is_published and story.shows_updated
    assert summaries(story) == [["Published"]]
    assert len(announced) == 1 and announced[0]["story"].pk == story.pk


def test_a_scheduled_essay_becomes_public_at_its_time_on_its_own(client, draft, announced):
    later = (timezone.localtime() + timedelta(days=2)).replace(second=0, microsecond=0)
    client.post(f"/studio/{draft.pk}/publish", {"when": later.strftime("%Y-%m-%dT%H:%M")})
    draft.refresh_from_db()
    assert draft.publication_state == "scheduled" and announced == []
    job = DBTaskResult.objects.get(task_path=publish_when_due.module_path)
    assert job.run_after == later
    args = job.args_kwargs["args"]
    assert publish_when_due.call(*args) is False  # a worker running it early changes nothing
    with mock.patch("django.utils.timezone.now", lambda: later + timedelta(seconds=1)):
        assert publish_when_due.call(*args) is True
        draft.refresh_from_db()
        assert draft.is_published
    assert len(announced) == 1 and announced[0]["story"].pk == draft.pk
    assert summaries(draft) == [["Published"]]


def test_rescheduling_or_unpublishing_makes_the_earlier_job_do_nothing(draft, announced):
    first = timezone.now() + timedelta(days=1)
    second = timezone.now() + timedelta(days=3)
    publishing.schedule(draft, first)
    publishing.schedule(draft, second)
    jobs_args = [
        row.args_kwargs["args"]
        for row in DBTaskResult.objects.filter(task_path=publish_when_due.module_path).order_by(
            "enqueued_at"
        )
    ]
    assert len(jobs_args) == 2
    with mock.patch("django.utils.timezone.now", lambda: first + timedelta(minutes=1)):
        assert publish_when_due.call(*jobs_args[0]) is False
    with mock.patch("django.utils.timezone.now", lambda: second + timedelta(minutes=1)):
        assert publish_when_due.call(*jobs_args[1]) is True
    assert len(announced) == 1
    publishing.publish(draft)  # brought forward to now
    assert draft.is_published and len(announced) == 2
    publishing.schedule(draft, timezone.now() + timedelta(days=5))  # public, then not yet
    assert announced[-1]["old_paths"][0] == draft.get_absolute_url()
    publishing.unpublish(draft)
    last = DBTaskResult.objects.filter(task_path=publish_when_due.module_path)
    args = last.order_by("-enqueued_at").first().args_kwargs["args"]
    with mock.patch("django.utils.timezone.now", lambda: second + timedelta(days=6)):
        assert publish_when_due.call(*args) is False
    assert len(announced) == 3


def test_unpublishing_names_every_address_that_goes(draft, announced):
    publishing.publish(draft)
    photo_id = draft.items.get().photo_id
    publishing.unpublish(draft)
    assert announced[-1]["old_paths"] == [
        f"/{draft.slug}/",
        f"/{draft.slug}/photos/{photo_id}/",
        f"/{draft.slug}/comments/feed/",
    ]
    publishing.unpublish(draft)  # already down: nothing changed for readers
    assert len(announced) == 2


def test_a_photo_removed_from_a_published_essay_loses_its_page(
    client, draft, small_photo, announced
):
    second = StoryItem.objects.create(story=draft, position=1, photo=small_photo("cyclamen.jpg"))
    publishing.publish(draft)
    client.post(f"/studio/{draft.pk}/delete", {"ids": [second.pk]}, content_type="application/json")
    assert len(announced) == 2
    assert announced[-1]["old_paths"] == [f"/{draft.slug}/photos/{second.photo_id}/"]


def test_a_photo_processed_again_changes_the_published_essays_showing_it(draft, announced):
    photo = draft.items.get().photo
    jobs.rebuild(type(photo).objects.filter(pk=photo.pk))
    process_photo(photo.pk)
    assert announced == []  # a draft: nothing public changed
    publishing.publish(draft)
    jobs.rebuild(type(photo).objects.filter(pk=photo.pk))
    process_photo(photo.pk)
    assert len(for_story(announced, draft)) == 2


def test_renaming_or_deleting_a_tag_rebuilds_the_site_and_drops_its_pages(client, staff, announced):
    tag = Tag.objects.create(name="Rivers")
    form = {"name": "Streams", "slug": "streams"}
    assert client.post(f"/admin/stories/tag/{tag.pk}/change/", form).status_code == 302
    assert announced == [
        {
            "story": None,
            "old_paths": [
                "/tags/rivers/",
                "/tags/rivers/feed/rss/",
                "/tags/rivers/feed/atom/",
                "/tags/rivers/feed/json/",
            ],
            "whole_site": True,
        }
    ]
    client.post(f"/admin/stories/tag/{tag.pk}/delete/", {"post": "yes"})
    assert announced[-1]["old_paths"][0] == "/tags/streams/" and len(announced) == 2


def test_an_authors_new_name_rebuilds_the_pages_crediting_them(client, draft, announced):
    client.post("/studio/author", {"display_name": "Ann Walker"})
    assert announced == []  # nothing of theirs is public yet
    publishing.publish(draft)
    client.post("/studio/author", {"display_name": "Ann R. Walker"})
    assert announced[-1] == {"story": None, "old_paths": [], "whole_site": True}
    client.post("/studio/author", {"display_name": "Ann R. Walker"})
    assert len(announced) == 2


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_makes_a_scheduled_essay_public_at_its_time(announced):
    soon = timezone.now() + timedelta(seconds=1)
    story = publishing.schedule(Story.objects.create(title="Dawn"), soon)
    call_command("worker", "--batch", verbosity=0)  # not due yet: nothing
    assert announced == [] and not story.revisions.exists()
    while timezone.now() <= soon:
        time.sleep(0.1)
    call_command("worker", "--batch", verbosity=0)
    assert [call["story"].pk for call in announced] == [story.pk]
    assert summaries(story) == [["Published"]]


@pytest.mark.django_db(transaction=True)  # the worker closes its connection when done
def test_the_worker_queues_essays_scheduled_without_a_job(announced):
    later = timezone.now() + timedelta(days=1)
    # As an earlier version left it: scheduled, with no job to announce it.
    story = Story.objects.create(title="Dusk", status="published", published_at=later)
    call_command("worker", "--batch", "--no-recover", verbosity=0)
    assert not DBTaskResult.objects.filter(task_path=publish_when_due.module_path).exists()
    call_command("worker", "--batch", verbosity=0)
    job = DBTaskResult.objects.get(task_path=publish_when_due.module_path)
    assert job.run_after == later and job.args_kwargs["args"][0] == story.pk
    assert publishing.queue_scheduled() == 0  # already waiting
