"""A post's hand-written excerpt becomes the essay's: its page's description, kept through
later runs, and an excerpt edited here counts as an edit made here."""

import pytest
from bs4 import BeautifulSoup

from filmstrip.stories.models import Story
from tests.migration.wordpress.test_importer import item, site  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

EXCERPT = "<p>A <em>dawn</em> race &amp; its\n  finish line.</p>"


def description(client, story) -> str:
    page = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")
    return page.select_one('meta[name="description"]')["content"]


def test_the_posts_excerpt_becomes_the_essays(site, client):  # noqa: F811
    site.write(item(10, "Race", "<p>The start was cold.</p>", excerpt=EXCERPT))
    site.run()
    story = Story.objects.get(title="Race")
    assert story.excerpt == "A dawn race & its finish line."
    assert description(client, story) == "A dawn race & its finish line."
    assert not site.run().changed  # the same export again: nothing to do


def test_a_post_without_an_excerpt_is_described_by_its_first_words(site, client):  # noqa: F811
    site.write(item(10, "Race", "<p>The start was cold.</p>"))
    site.run()
    story = Story.objects.get(title="Race")
    assert story.excerpt == ""
    story.intro = "The start was *cold*."
    story.save()
    assert description(client, story) == "The start was cold."


def test_a_newer_excerpt_is_taken_unless_the_excerpt_was_edited_here(site):  # noqa: F811
    site.write(item(10, "Race", "Text.", excerpt="First."), item(11, "Walk", "Text.", excerpt="A."))
    site.run()
    walk = Story.objects.get(title="Walk")
    walk.excerpt = "My own summary."
    walk.save()
    newer = "2014-06-01 10:00:00"
    site.write(
        item(10, "Race", "Text.", excerpt="Second.", modified=newer),
        item(11, "Walk", "Text.", excerpt="B.", modified=newer),
    )
    report = site.run()
    assert report["essays", "updated"] == 1 and report["essays", "skipped"] == 1
    assert Story.objects.get(title="Race").excerpt == "Second."
    assert Story.objects.get(title="Walk").excerpt == "My own summary."
