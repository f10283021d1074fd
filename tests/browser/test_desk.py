"""The studio's moderation desk in chromium on a real `filmstrip serve`: the author approves one
held comment, marks another as spam and answers a third in place; the published page, as
served, shows the approved comment and the answer within seconds, and never the spam."""

import os

import pytest

from tests.browser.conftest import (
    FILMSTRIP,
    axe_violations,
    filmstrip,
    free_port,
    reload_until,
    running,
)
from tests.browser.test_studio import signed_in
from tests.conftest import migrated

pytestmark = pytest.mark.browser

HELD = """
from django.contrib.auth.models import User
from filmstrip.comments.models import Comment
from filmstrip.stories import publishing
from filmstrip.stories.models import Story, StoryItem
story = Story.objects.create(title="Harbour at dawn", author=User.objects.get(username="ed"))
StoryItem.objects.create(story=story, position=0, kind="text", body="The boats come in.")
publishing.publish(story)
for name, body in [("Ann", "The light on the water!"), ("Bob", "Cheap watches here"),
                   ("Cy", "Which harbour is this?")]:
    Comment.objects.create(story=story, author_name=name, author_email=f"{name}@example.org",
                           body=body, moderation_reasons=["first comment from this address"])
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data = tmp_path_factory.mktemp("desk")
    env = {**os.environ, "FILMSTRIP_DATA_DIR": str(data), "DJANGO_SUPERUSER_PASSWORD": "pw"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    migrated(data)
    filmstrip(env, "createsuperuser", "--no-input", "--username", "ed", "--email", "e@example.org")
    filmstrip(env, "shell", "-c", HELD)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running([FILMSTRIP, "serve", "--no-migrate", "--port", str(port)], env, ready_url=base):
        yield base


def row(page, name):
    return page.locator(".held-row", has=page.locator("header strong", has_text=name))


def test_the_author_approves_marks_spam_and_replies_from_the_desk(site, browser):
    essay = f"{site}/harbour-at-dawn/"
    reader = browser.new_page()
    reload_until(reader, essay, lambda p: p.locator("#comments-title").count() == 1, seconds=60)
    assert "The light on the water!" not in reader.inner_text("main")

    page = signed_in(browser, site, 1440, 900)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    nav = page.locator("nav.studio-nav")
    assert nav.locator("a", has_text="Comments").inner_text().split() == [
        "Comments",
        "3",
        "waiting",
    ]
    nav.locator("a", has_text="Comments").click()
    page.wait_for_url("**/studio/comments")
    assert page.locator(".held-row").count() == 3
    assert row(page, "Bob").locator(".why li").inner_text() == "first comment from this address"
    assert axe_violations(page) == []

    row(page, "Ann").get_by_role("button", name="Approve", exact=True).click()
    page.wait_for_selector(".notices >> text=Approved: 1 comment(s).")
    row(page, "Bob").get_by_role("button", name="Spam", exact=True).click()
    page.wait_for_selector(".notices >> text=Marked as spam: 1 comment(s).")
    cy = row(page, "Cy")
    cy.locator("summary", has_text="Reply as the author").click()
    cy.locator("textarea").fill("The old harbour at Whitby, at six.")
    cy.get_by_role("button", name="Approve and reply").click()
    page.wait_for_selector("text=Replied to Cy on “Harbour at dawn”.")
    assert page.locator(".held-row").count() == 0

    # The spam tray: a wrong decision can be seen again; "Select all" ticks every row.
    page.get_by_role("link", name="Spam", exact=True).click()
    page.wait_for_url("**/studio/comments?status=spam")
    assert page.locator(".held-row header strong").all_inner_texts() == ["Bob"]
    page.get_by_label("Select all comments").check()
    assert page.is_checked(".held-row input[name=comment]")
    page.locator(".bulk").get_by_role("button", name="Trash").click()
    page.wait_for_selector(".notices >> text=Moved to the trash: 1 comment(s).")
    assert page.url.endswith("/studio/comments?status=spam")  # back in the same tray
    assert page.locator(".held-row").count() == 0
    assert nav.locator("a", has_text="Comments").inner_text().split() == ["Comments"]
    assert errors == []

    # The published page, as served, within seconds: two approved, the answer, no spam.
    def shown(p):
        return "The old harbour at Whitby, at six." in p.inner_text("main")

    reload_until(reader, essay, shown)
    text = reader.inner_text("main")
    assert "The light on the water!" in text and "Which harbour is this?" in text
    assert "The old harbour at Whitby, at six." in text and "Cheap watches" not in text
    # The answer hangs under Cy's comment (the innermost of those holding it), as the author's.
    thread = reader.locator(".comment", has_text="The old harbour at Whitby")
    assert thread.count() == 2 and "Which harbour is this?" in thread.first.inner_text()
    assert thread.last.locator(".badge").inner_text() == "author"
