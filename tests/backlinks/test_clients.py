"""Independent clients talking to Filmstrip over real HTTP: ronkyuu (a published Webmention
sender, which discovers our endpoint on the essay page itself) and the standard library's
XML-RPC client for Pingback. The linking pages are served on loopback."""

import xmlrpc.client

import pytest
import ronkyuu
from bs4 import BeautifulSoup

from filmstrip.backlinks.models import Backlink
from filmstrip.backlinks.tasks import verify_backlink
from filmstrip.stories import publishing
from filmstrip.stories.models import Story

from .test_receiving import queued_checks

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def published(live_server, settings, loopback_allowed):
    settings.SITE_URL = live_server.url
    story = Story.objects.create(title="A Half Marathon in Pyongyang")
    publishing.publish(story)
    return story, f"{live_server.url}{story.get_absolute_url()}"


def linking_page(target: str, title: str) -> str:
    return (
        f'<article class="h-entry"><h1 class="p-name">{title}</h1>'
        f'<p class="e-content">Read <a href="{target}">this essay</a>.</p></article>'
    )


def test_ronkyuu_discovers_our_endpoint_and_its_webmention_is_verified(published, site, client):
    story, target = published
    source = site.page("/reply", linking_page(target, "A reply from elsewhere"))

    response = ronkyuu.sendWebmention(source, target, timeout=5)

    assert response is not None and response.status_code == 202
    backlink = Backlink.objects.get()
    assert (backlink.kind, backlink.source, backlink.target) == ("webmention", source, target)
    assert queued_checks() == [backlink.pk]
    assert verify_backlink.call(backlink.pk) == "verified"

    Backlink.objects.update(status="approved")
    page = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")
    link = page.select_one("section.backlinks li a")
    assert (link["href"], link.text, link["rel"]) == (
        source,
        "A reply from elsewhere",
        ["nofollow", "ugc"],
    )


def test_ronkyuu_is_told_why_a_bad_webmention_is_refused(published, site, live_server):
    story, target = published
    draft = Story.objects.create(title="Draft")
    response = ronkyuu.sendWebmention(
        site.url("/x"),
        f"{live_server.url}{draft.get_absolute_url()}",
        webmention=f"{live_server.url}/webmention",  # a draft's page would not say where
    )
    assert response.status_code == 400 and "no published essay" in response.text
    assert not Backlink.objects.exists()


def test_the_standard_xmlrpc_client_pings_back(published, site, live_server):
    story, target = published
    source = site.page("/ping", linking_page(target, "A pingback"))
    server = xmlrpc.client.ServerProxy(f"{live_server.url}/xmlrpc")

    answer = server.pingback.ping(source, target)

    assert "received" in answer
    backlink = Backlink.objects.get()
    assert (backlink.kind, backlink.source) == ("pingback", source)
    assert queued_checks() == [backlink.pk]
    with pytest.raises(xmlrpc.client.Fault) as repeated:
        server.pingback.ping(source, target)
    assert repeated.value.faultCode == 0x0030
    with pytest.raises(xmlrpc.client.Fault) as elsewhere:
        server.pingback.ping(source, "https://elsewhere.example/")
    assert elsewhere.value.faultCode == 0x0021
    assert verify_backlink.call(backlink.pk) == "verified"
    assert Backlink.objects.get().title == "A pingback"
