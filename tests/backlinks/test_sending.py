"""Sending: an essay published with links to receiving sites served on loopback."""

import xmlrpc.client
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from filmstrip.backlinks.models import SentMention
from filmstrip.backlinks.tasks import send_mentions
from filmstrip.stories import publishing
from filmstrip.stories.models import Story, StoryItem

from .conftest import Page, Site

pytestmark = pytest.mark.django_db


@pytest.fixture
def receivers(loopback_allowed, settings):
    """Filmstrip's own site address, and another site on another port with four pages."""
    home, other = Site(), Site()
    settings.SITE_URL = home.url("")
    other.page(
        "/by-header",
        Page(
            "<p>a post</p>",
            headers={"Content-Type": "text/html", "Link": '</endpoint-a>; rel="webmention"'},
        ),
    )
    other.page(
        "/by-html", '<html><head><link rel="webmention" href="endpoint-b?key=1"></head></html>'
    )
    other.page(
        "/by-pingback",
        Page(
            "<p>old blog</p>",
            headers={"Content-Type": "text/html", "X-Pingback": other.url("/xmlrpc.php")},
        ),
    )
    other.page("/deaf", "<p>no endpoint anywhere</p>")
    other.page("/endpoint-a", Page("queued", status=202))
    other.page("/endpoint-b?key=1", Page("created", status=201))
    other.page(
        "/xmlrpc.php",
        Page(
            xmlrpc.client.dumps(("Thanks for the ping",), methodresponse=True),
            headers={"Content-Type": "text/xml"},
        ),
    )
    yield other
    home.close()
    other.close()


def sent(story) -> dict[str, SentMention]:
    return {notice.target: notice for notice in SentMention.objects.filter(story=story)}


def queued_sends(story) -> int:
    rows = DBTaskResult.objects.filter(task_path=send_mentions.module_path)
    return sum(1 for row in rows if row.args_kwargs["args"] == [story.pk])


def run(story) -> dict:
    assert queued_sends(story), "the sending job was not queued"
    DBTaskResult.objects.filter(task_path=send_mentions.module_path).delete()
    return send_mentions.call(story.pk)


def essay_linking(site, paths, **fields) -> Story:
    links = " ".join(f"[{path}]({site.url(path)})" for path in paths)
    return Story.objects.create(title="Ridge walk", intro=f"Walked with {links}.", **fields)


def test_publishing_notifies_each_linked_page_by_its_own_means(receivers, settings):
    story = essay_linking(receivers, ["/by-header", "/by-html", "/by-pingback", "/deaf"])
    assert not queued_sends(story)
    publishing.publish(story)

    assert run(story) == {"notified": 4, "unchanged": 0, "failed": 0, "not_sent_because": ""}

    source = f"{settings.SITE_URL}{story.get_absolute_url()}"
    posts = {r.path: r for r in receivers.requests if r.method == "POST"}
    assert posts["/endpoint-a"].form == {"source": source, "target": receivers.url("/by-header")}
    assert posts["/endpoint-b?key=1"].form == {
        "source": source,
        "target": receivers.url("/by-html"),
    }
    assert posts["/endpoint-a"].headers["Content-Type"] == "application/x-www-form-urlencoded"
    params, method = xmlrpc.client.loads(posts["/xmlrpc.php"].body)
    assert (method, params) == ("pingback.ping", (source, receivers.url("/by-pingback")))
    notices = sent(story)
    assert (
        notices[receivers.url("/by-header")].protocol,
        notices[receivers.url("/by-header")].status_code,
    ) == ("webmention", 202)
    assert notices[receivers.url("/by-html")].endpoint == receivers.url("/endpoint-b?key=1")
    assert notices[receivers.url("/by-pingback")].result == "Accepted: Thanks for the ping"
    assert notices[receivers.url("/deaf")].protocol == ""
    assert notices[receivers.url("/deaf")].result == "No Webmention or Pingback endpoint."


def test_republishing_unchanged_sends_nothing_and_a_change_sends_again(receivers):
    story = essay_linking(receivers, ["/by-header", "/by-pingback"])
    publishing.publish(story)
    run(story)
    count = len(receivers.requests)

    publishing.publish(story)  # again, nothing changed
    assert run(story)["unchanged"] == 2
    assert len(receivers.requests) == count

    StoryItem.objects.create(story=story, kind="text", body="A new passage.")
    publishing.changed(story)
    assert run(story)["notified"] == 2
    assert [r.path for r in receivers.requests[count:] if r.method == "POST"] == [
        "/endpoint-a",
        "/xmlrpc.php",
    ]


def test_links_in_passages_captions_and_the_licence_count_and_removed_ones_hear_once(receivers):
    story = Story.objects.create(
        title="Ridge walk", licence=f"Link back to [me]({receivers.url('/by-html')})."
    )
    StoryItem.objects.create(
        story=story, kind="text", body=f"See [this]({receivers.url('/by-header')})."
    )
    publishing.publish(story)
    assert run(story)["notified"] == 2

    story.licence = "All rights reserved."
    story.save()
    publishing.changed(story)
    # the essay changed: the page still linked hears again, the one no longer linked hears
    # once more (and will find the link gone)
    assert run(story)["notified"] == 2
    posts = [r.path for r in receivers.requests if r.method == "POST"]
    assert sorted(posts[2:]) == ["/endpoint-a", "/endpoint-b?key=1"]

    story.title = "Ridge walk, revised"
    story.save()
    publishing.changed(story)
    posts = [r.path for r in receivers.requests if r.method == "POST"]
    run(story)
    after = [r.path for r in receivers.requests if r.method == "POST"]
    assert after[len(posts) :] == ["/endpoint-a"]  # the removed link is not told again


def test_endpoints_and_targets_on_forbidden_addresses_are_never_contacted(receivers):
    receivers.page(
        "/sneaky", '<link rel="webmention" href="http://169.254.169.254/latest/meta-data/">'
    )
    story = essay_linking(receivers, ["/sneaky"])
    story.intro += " [router](http://192.168.1.1/admin)"
    story.save()
    publishing.publish(story)
    assert run(story) == {"notified": 2, "unchanged": 0, "failed": 0, "not_sent_because": ""}
    notices = sent(story)
    sneaky, router = notices[receivers.url("/sneaky")], notices["http://192.168.1.1/admin"]
    assert sneaky.endpoint == "http://169.254.169.254/latest/meta-data/"
    assert "not fetched" in sneaky.result and "cloud metadata" in sneaky.result
    assert router.result.startswith("Target not fetched") and "private" in router.result
    assert [r.path for r in receivers.requests] == ["/sneaky"]  # only the page itself


def test_a_target_that_timed_out_is_tried_again_at_the_next_publication(receivers):
    receivers.page("/slow", Page(hang=True))
    story = essay_linking(receivers, ["/slow", "/deaf"])
    publishing.publish(story)
    assert run(story) == {"notified": 1, "unchanged": 0, "failed": 1, "not_sent_because": ""}
    assert "did not answer" in sent(story)[receivers.url("/slow")].result
    receivers.page(
        "/slow",
        Page(
            "<p>awake</p>",
            headers={"Content-Type": "text/html", "Link": "</endpoint-a>; rel=webmention"},
        ),
    )
    publishing.publish(story)  # nothing changed, but the slow page never heard
    assert run(story) == {"notified": 1, "unchanged": 1, "failed": 0, "not_sent_because": ""}
    assert [r.form["target"] for r in receivers.requests if r.path == "/endpoint-a"] == [
        receivers.url("/slow")
    ]


def test_drafts_and_a_private_site_address_send_nothing(receivers, settings):
    draft = essay_linking(receivers, ["/by-header"])
    assert send_mentions.call(draft.pk)["not_sent_because"] == "the essay is not published"
    settings.FILMSTRIP_FETCH_ALLOW_NETWORKS = ()
    story = essay_linking(receivers, ["/by-header"])
    publishing.publish(story)
    reason = run(story)["not_sent_because"]
    assert "FILMSTRIP_SITE_URL is not on the public web" in reason and "loopback" in reason
    settings.FILMSTRIP_FETCH_ALLOW_NETWORKS = ("127.0.0.1/32",)
    settings.FILMSTRIP_BACKLINKS_SEND = False
    publishing.publish(story)
    assert run(story)["not_sent_because"] == "FILMSTRIP_BACKLINKS_SEND is off"
    assert receivers.requests == [] and not SentMention.objects.exists()


def test_an_essay_scheduled_for_later_is_sent_for_then(receivers):
    story = essay_linking(receivers, ["/by-header"])
    when = timezone.now() + timedelta(days=2)
    publishing.publish(story, when=when)
    job = DBTaskResult.objects.get(task_path=send_mentions.module_path)
    assert job.run_after == when
