"""The studio's moments for an author far from the server's zone and language, in chromium
(German, in Berlin, against a server on UTC): a schedule set in the editor's field and said
back in words, the essay list's "scheduled for", a comment's and a revision's time, each in
the author's own zone and written as their language writes dates. The expected wall times are
worked out here with zoneinfo, independently of the page's script."""

import os
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import FILMSTRIP, filmstrip, free_port, new_essay, running, sign_in
from tests.conftest import migrated

pytestmark = pytest.mark.browser

BERLIN = ZoneInfo("Europe/Berlin")
# Just before midnight in UTC, already the next day (and year) in Berlin.
LATE = datetime(2029, 12, 31, 23, 30, tzinfo=UTC)

SEED = f"""
from datetime import datetime
from django.contrib.auth.models import User
from filmstrip.comments.models import Comment
from filmstrip.stories import publishing
from filmstrip.stories.models import Revision, Story
late = datetime.fromisoformat("{LATE.isoformat()}")
story = publishing.publish(Story.objects.create(title="Harbour", author=User.objects.get()))
Revision.objects.filter(story=story).update(updated_at=late)
ann = Comment.objects.create(story=story, author_name="Ann", body="The light!")
Comment.objects.filter(pk=ann.pk).update(created_at=late)
print(story.pk)
"""


def in_german(moment: datetime) -> str:
    """How chromium writes a moment in German, medium date and short time."""
    return moment.astimezone(BERLIN).strftime("%d.%m.%Y, %H:%M")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data = tmp_path_factory.mktemp("moments")
    env = {**os.environ, "FILMSTRIP_DATA_DIR": str(data), "DJANGO_SUPERUSER_PASSWORD": "pw"}
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "FILMSTRIP_TIME_ZONE"):
        env.pop(name, None)  # the server on UTC
    migrated(data)
    filmstrip(env, "createsuperuser", "--no-input", "--username", "ed", "--email", "e@example.org")
    essay = int(filmstrip(env, "shell", "-c", SEED).split()[-1])
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running([FILMSTRIP, "serve", "--no-migrate", "--port", str(port)], env, ready_url=base):
        yield base, essay


def test_the_studio_speaks_of_moments_in_the_authors_zone_and_language(site, browser):
    base, essay = site
    context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin")
    page = context.new_page()
    sign_in(page, base)
    new_essay(page, "Dunes")
    assert page.locator(".zone-name").inner_text() == "(Europe/Berlin time)"
    page.fill("input[type=datetime-local]", "2030-07-01T10:00")  # 08:00 on the server's clock
    # Whatever order the browser's control puts day and month in, the moment is said in words.
    assert (
        page.locator("#when-said").inner_text() == "Montag, 1. Juli 2030 um 10:00 (Europe/Berlin)"
    )
    with page.expect_navigation():
        page.click("text=Schedule")
    header = page.locator(".publishing time.moment")
    assert header.get_attribute("datetime").startswith("2030-07-01T08:00:00")
    assert header.inner_text() == "Montag, 1. Juli 2030 um 10:00 (Europe/Berlin)"

    page.goto(f"{base}/studio/")
    dunes = page.locator("table.essays tr", has_text="Dunes")
    said = "scheduled for 01.07.2030, 10:00 (Europe/Berlin)"  # not 08:00, the server's
    assert dunes.locator("td").nth(2).inner_text() == said

    page.goto(f"{base}/studio/comments")
    assert page.locator(".held .where time").inner_text() == in_german(LATE)  # 01.01.2030
    page.goto(f"{base}/studio/{essay}/history")
    assert page.locator(".revisions time").inner_text() == in_german(LATE)
    context.close()
