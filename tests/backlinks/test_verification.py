"""The verification job against real linking pages served on loopback."""

import pytest
from django.core.management import call_command

from filmstrip.backlinks.models import Backlink
from filmstrip.backlinks.receiving import receive
from filmstrip.backlinks.targets import site_hosts
from filmstrip.backlinks.tasks import verify_backlink

from .conftest import Page
from .test_receiving import queued_checks

pytestmark = pytest.mark.django_db


def entry(target: str, title="Running with strangers") -> str:
    return f"""<!doctype html><title>Dana's blog</title>
    <article class="h-entry"><h1 class="p-name">{title}</h1>
    <a class="p-author h-card" href="/about">Dana</a>
    <div class="e-content"><p>I ran it too; <a href="{target}">the photos</a> say it all.</p></div>
    </article>"""


def received(source: str, target: str, kind=Backlink.Kind.WEBMENTION) -> Backlink:
    backlink = receive(source, target, kind=kind, hosts=site_hosts())
    assert backlink.pk in queued_checks(), "the check was not queued"
    return backlink


def check(backlink: Backlink) -> Backlink:
    verify_backlink.call(backlink.pk)
    backlink.refresh_from_db()
    return backlink


@pytest.fixture
def target(essay):
    return f"https://photos.example.org{essay.get_absolute_url()}"


def test_a_source_that_links_here_is_verified_and_described(site, loopback_allowed, target):
    source = site.page("/2024/run", entry(target))
    backlink = check(received(source, target))
    assert (backlink.verification, backlink.status) == ("verified", "pending")
    assert backlink.title == "Running with strangers"
    assert backlink.author_name == "Dana"
    assert backlink.author_url == site.url("/about")
    assert backlink.excerpt == "I ran it too; the photos say it all."
    assert backlink.verified_at is not None


def test_a_relative_link_after_a_redirect_resolves_against_the_final_url(
    site, loopback_allowed, essay, settings
):
    settings.SITE_URL = site.url("")  # the essay and the linking page on one host
    target = site.url(essay.get_absolute_url())
    site.page("/old", Page(status=301, headers={"Location": "/new/"}))
    site.page("/new/", f'<a href="..{essay.get_absolute_url()}">photos</a>')
    assert check(received(site.url("/old"), target)).verification == "verified"


@pytest.mark.parametrize(
    ("page", "verification", "note"),
    [
        (Page("<p>No link here, just <em>words</em>.</p>"), "rejected", "does not link"),
        (Page("gone", status=410), "deleted", "410"),
        (Page("missing", status=404), "deleted", "404"),
        (Page("oops", status=500), "failed", "HTTP 500"),
        (Page(status=302, headers={"Location": "/src"}), "failed", "More than 5 redirects"),
        (Page(status=302, headers={"Location": "http://169.254.169.254/"}), "failed", "cloud"),
        (Page(status=302, headers={"Location": "http://10.1.1.1/"}), "failed", "private"),
        (Page(size=3 * 1024 * 1024), "failed", "larger than 1048576 bytes"),
        (Page(hang=True), "failed", "did not answer within 1 s"),
        (Page(b"\x89PNG...", headers={"Content-Type": "image/png"}), "rejected", "does not link"),
    ],
)
def test_sources_that_do_not_link_here_are_not_verified(
    site, loopback_allowed, target, page, verification, note
):
    source = site.page("/src", page)
    backlink = check(received(source, target))
    assert backlink.verification == verification
    assert note in backlink.verification_note
    assert not Backlink.objects.shown().exists()


def test_without_the_exemption_a_loopback_source_is_never_fetched(site, settings, target):
    settings.FILMSTRIP_FETCH_ALLOW_NETWORKS = ("127.0.0.1/32",)
    backlink = received(site.page("/src", entry(target)), target)
    settings.FILMSTRIP_FETCH_ALLOW_NETWORKS = ()
    backlink = check(backlink)
    assert backlink.verification == "failed" and "loopback" in backlink.verification_note
    assert site.requests == []


def test_a_site_already_approved_is_trusted_and_only_then(site, loopback_allowed, target, settings):
    first = check(received(site.page("/one", entry(target)), target))
    assert first.status == "pending"
    Backlink.objects.filter(pk=first.pk).update(status="approved")
    second = check(received(site.page("/two", entry(target, "Again")), target))
    assert second.status == "approved"
    assert list(Backlink.objects.shown()) == [first, second]
    settings.FILMSTRIP_BACKLINKS_TRUST_KNOWN_SITES = False
    third = check(received(site.page("/three", entry(target, "Third")), target))
    assert third.status == "pending"


def test_an_update_that_removes_the_link_or_deletes_the_source_takes_it_off_the_page(
    site, loopback_allowed, target
):
    source = site.page("/post", entry(target))
    backlink = check(received(source, target))
    Backlink.objects.filter(pk=backlink.pk).update(status="approved")
    assert Backlink.objects.shown().count() == 1
    site.page("/post", "<p>I took the link out.</p>")
    backlink = check(received(source, target))  # sent again, as the spec asks after an edit
    assert (backlink.status, backlink.verification) == ("approved", "rejected")
    assert not Backlink.objects.shown().exists()
    site.page("/post", entry(target))  # the link is back, with the words the author approved
    assert check(received(source, target)).status == "approved"
    assert Backlink.objects.shown().count() == 1
    site.page("/post", Page("deleted", status=410))
    assert check(received(source, target)).verification == "deleted"
    assert not Backlink.objects.shown().exists() and Backlink.objects.count() == 1


def test_new_words_sent_for_an_approved_entry_wait_for_the_author(site, loopback_allowed, target):
    source = site.page("/post", entry(target))
    backlink = check(received(source, target))
    Backlink.objects.filter(pk=backlink.pk).update(status="approved")
    site.page("/post", entry(target, "Cheap pills at pills.example"))
    backlink = check(received(source, target))
    assert (backlink.status, backlink.title) == ("pending", "Cheap pills at pills.example")
    assert not Backlink.objects.shown().exists()


def test_the_authors_decision_stands_when_a_source_is_checked_again(site, loopback_allowed, target):
    source = site.page("/spammy", entry(target))
    backlink = check(received(source, target))
    Backlink.objects.filter(pk=backlink.pk).update(status="spam")
    assert check(received(source, target)).status == "spam"


def test_a_check_for_a_deleted_row_does_nothing():
    assert verify_backlink.call(987654) == "missing"


@pytest.mark.django_db(transaction=True)
def test_the_worker_checks_good_and_bad_sources_alike_and_carries_on(site, loopback_allowed, essay):
    target = f"https://photos.example.org{essay.get_absolute_url()}"
    good = received(site.page("/good", entry(target)), target)
    hanging = received(site.page("/hang", Page(hang=True)), target)
    huge = received(site.page("/huge", Page(size=5 * 1024 * 1024)), target)
    deleted = received(site.page("/deleted", entry(target)), target)
    Backlink.objects.filter(pk=deleted.pk).delete()

    call_command("worker", "--batch", verbosity=0)

    states = dict(Backlink.objects.values_list("pk", "verification"))
    assert states == {good.pk: "verified", hanging.pk: "failed", huge.pk: "failed"}
