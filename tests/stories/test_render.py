"""Rendering the public documents: the same bytes as before, in queries that do not grow.

The essays come from benchmarks/essay_fixture.py (ready photos with rendition rows, threaded
comments, links back), so an 80-photo essay costs seconds, not the image pipeline's minutes.
"""

import difflib
import os
import re
from pathlib import Path

import pytest
from benchmarks.essay_fixture import build_essay
from django.db import connection
from django.test.utils import CaptureQueriesContext

from filmstrip.stories.models import Story

pytestmark = pytest.mark.django_db

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("FILMSTRIP_UPDATE_SNAPSHOTS") == "1"
# The site's style sheet is inlined into every page; its changes are not this test's business.
_STYLE = re.compile(rb"<style>.*?</style>", re.S)


NAMES = [
    "essay.html", "photo.html", "home.html", "tag.html", "feed.rss", "feed.atom", "feed.json",
    "tag-feed.rss", "comments.atom", "sitemap.xml", "essay-closed.html", "photo-closed.html",
]  # fmt: skip


def documents(story: Story) -> dict[str, str]:
    """Every public document that shows ``story``, by a short name."""
    tag = story.tags.order_by("name").first()
    photo_id = story.items.filter(photo__isnull=False)[2].photo_id
    return {
        "essay.html": story.get_absolute_url(),
        "photo.html": f"{story.get_absolute_url()}photos/{photo_id}/",
        "home.html": "/",
        "tag.html": tag.get_absolute_url(),
        "feed.rss": "/feed/rss/",
        "feed.atom": "/feed/atom/",
        "feed.json": "/feed/json/",
        "tag-feed.rss": f"/tags/{tag.slug}/feed/rss/",
        "comments.atom": f"{story.get_absolute_url()}comments/feed/",
        "sitemap.xml": "/sitemap.xml",
    }


CLOSED = {"essay-closed.html": "essay.html", "photo-closed.html": "photo.html"}


def query_counts(client, story: Story) -> dict[str, int]:
    counts = {}
    for name, path in documents(story).items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[name] = len(captured)
    return counts


def test_queries_do_not_grow_with_photos_or_comments(client):
    small = build_essay(photos=8, comments=10, slug="small")
    few = query_counts(client, small)
    small.delete()
    big = build_essay(photos=80, comments=100, slug="big")
    many = query_counts(client, big)
    assert many == few
    # And stay few: the essay page reads story, items, renditions, tags, comments, links back,
    # the sign-in providers and the site settings.
    assert many["essay.html"] <= 8


@pytest.mark.parametrize("name", NAMES)
def test_documents_are_the_bytes_of_the_snapshot(client, name):
    """A fixed essay renders as recorded. After an intended change to a page, review the diff
    and record again: FILMSTRIP_UPDATE_SNAPSHOTS=1 pytest tests/stories/test_render.py"""
    story = build_essay(photos=8, comments=10, first_id=1000, pending=1)
    if name in CLOSED:  # no reply links, no comment form
        Story.objects.filter(pk=story.pk).update(comments_open=False)
    response = client.get(documents(story)[CLOSED.get(name, name)])
    assert response.status_code == 200
    body = _STYLE.sub(b"<style></style>", response.content)
    snapshot = SNAPSHOTS / name
    if UPDATE:
        snapshot.write_bytes(body)
    expected = snapshot.read_text(encoding="utf-8")
    diff = difflib.unified_diff(
        expected.splitlines(), body.decode().splitlines(), "snapshot", "now", lineterm="", n=0
    )
    assert body.decode() == expected, "\n".join(list(diff)[:40])
