"""“Linked from” under the essay, the endpoints in its head, and moderation in the admin."""

import json
import random

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.utils import timezone

from filmstrip.backlinks.models import Backlink
from tests.comments.test_comments import executable_url
from tests.conftest import corpus_file

pytestmark = pytest.mark.django_db


def backlink(story, n=0, **fields) -> Backlink:
    values = {
        "kind": "webmention",
        "story": story,
        "source": f"https://blog{n}.example.net/post/{n}",
        "target": f"https://photos.example.org{story.get_absolute_url()}",
        "status": "approved",
        "verification": "verified",
        "received_at": timezone.now(),
        **fields,
    }
    return Backlink.objects.create(**values)


def section(client, story):
    page = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")
    return page, page.select_one("section.backlinks")


def test_the_essay_page_advertises_both_endpoints(client, essay):
    page, _ = section(client, essay)
    assert page.head.select_one('link[rel="webmention"]')["href"] == "/webmention"
    assert page.head.select_one('link[rel="pingback"]')["href"] == "/xmlrpc"


def test_nothing_is_shown_until_something_approved_still_links_here(client, essay):
    backlink(essay, 1, status="pending")
    backlink(essay, 2, status="spam")
    backlink(essay, 3, status="trash")
    backlink(essay, 4, verification="rejected")
    backlink(essay, 5, verification="queued")
    _, found = section(client, essay)
    assert found is None
    assert b"Linked from" not in client.get(essay.get_absolute_url()).content


def test_approved_links_back_are_listed_with_title_author_and_date(client, essay_with_photo):
    essay, photo = essay_with_photo
    backlink(
        essay,
        1,
        title="Running with strangers",
        author_name="Dana",
        author_url="https://dana.example/",
    )
    backlink(essay, 2, kind="pingback", photo=photo, excerpt="What a falcon.")
    _, found = section(client, essay)
    assert found["aria-labelledby"] == "backlinks-title"
    assert found.select_one("#backlinks-title").text == "Linked from"
    first, second = found.select("li")
    title = first.select("a")[0]
    assert (title.text, title["href"], title["rel"]) == (
        "Running with strangers",
        "https://blog1.example.net/post/1",
        ["nofollow", "ugc"],
    )
    author = first.select_one(".backlink-author a")
    assert (author.text, author["href"], author["rel"]) == (
        "Dana",
        "https://dana.example/",
        ["nofollow", "ugc"],
    )
    assert first.select_one("time")["datetime"].startswith(str(timezone.now().year))
    assert second.select("a")[0].text == "blog2.example.net"  # no title: the site's name
    assert second.select_one(f'a[href="#photo-{photo.pk}"]').text == "a photo"
    assert second.select_one(".backlink-excerpt").text == "What a falcon."


def test_the_section_comes_just_before_the_comments(client, essay):
    backlink(essay)
    html = client.get(essay.get_absolute_url()).content.decode()
    assert (
        html.index('class="licence"')
        < html.index('class="backlinks"')
        < html.index('id="comments"')
    )


def test_pages_with_links_back_stay_the_same_bytes_for_every_reader(client, essay):
    backlink(essay, title="A title")
    url = essay.get_absolute_url()
    first, second = client.get(url), client.get(url)
    assert first.content == second.content and b"Linked from" in first.content
    assert not first.cookies and "Cookie" not in first.get("Vary", "")
    assert b"csrfmiddlewaretoken" not in first.content
    client.force_login(User.objects.create_user("reader", "r@example.org", "pw"))
    assert client.get(url).content == first.content


def test_xss_payloads_from_linking_pages_are_shown_inert(client, essay):
    payloads = (
        corpus_file("other/xss/payloadbox/xss-payload-list.txt")
        .read_text(errors="replace")
        .splitlines()
    )
    dompurify = json.loads(corpus_file("other/xss/dompurify/expect.json").read_text())
    sample = random.Random(11).sample(payloads, 150) + [c["payload"] for c in dompurify[:100]]
    for i, payload in enumerate(sample):
        backlink(
            essay,
            i,
            source=f"https://x{i}.example/?q={payload[:500]}",
            title=payload[:300],
            author_name=payload[:200],
            author_url=f"https://a{i}.example/{payload[:500]}",
            excerpt=payload,
        )
    _, found = section(client, essay)
    assert len(found.select("li")) == len(sample)
    assert not found.select("script, iframe, object, embed, svg, math, img, style, form, input")
    for element in found.find_all(True):
        for attribute, value in element.attrs.items():
            assert not attribute.lower().startswith("on"), (element.name, attribute)
            text = " ".join(value) if isinstance(value, list) else value
            if attribute in ("href", "src", "action"):
                assert not executable_url(text), (element.name, text)
    client.force_login(User.objects.create_superuser("editor", "e@example.org", "pw"))
    listing = BeautifulSoup(client.get("/admin/backlinks/backlink/").content, "html.parser")
    assert not listing.select("#result_list script, #result_list img, #result_list iframe")


def test_admin_moderates_in_bulk_and_shows_the_pending_count(client, essay):
    ids = [backlink(essay, i, status="pending").pk for i in range(4)]
    client.force_login(User.objects.create_superuser("editor", "e@example.org", "pw"))
    url = "/admin/backlinks/backlink/"
    assert "Links back (4 awaiting moderation)" in client.get(url).content.decode()
    client.post(url, {"action": "approve", "_selected_action": ids[:2]})
    client.post(url, {"action": "mark_spam", "_selected_action": ids[2:3]})
    client.post(url, {"action": "trash", "_selected_action": ids[3:]})
    assert list(Backlink.objects.order_by("pk").values_list("status", flat=True)) == [
        "approved",
        "approved",
        "spam",
        "trash",
    ]
    assert "Links back (0 awaiting moderation)" in client.get(url).content.decode()
    _, found = section(client, essay)
    assert len(found.select("li")) == 2
    assert client.get("/admin/backlinks/sentmention/").status_code == 200
