"""Receiving Webmentions and Pingbacks through the real URLs: what is taken, what is refused."""

import time
import xmlrpc.client

import pytest
from django.contrib.auth.models import User
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from filmstrip.backlinks.models import Backlink
from filmstrip.backlinks.tasks import verify_backlink
from filmstrip.stories.models import Story

pytestmark = pytest.mark.django_db

SOURCE = "https://blog.example.net/2024/05/run.html"


def queued_checks() -> list[int]:
    rows = DBTaskResult.objects.filter(task_path=verify_backlink.module_path)
    return [row.args_kwargs["args"][0] for row in rows]


def mention(client, **data):
    return client.post("/webmention", data)


def test_a_webmention_is_accepted_stored_and_queued_for_checking(client, essay):
    target = f"https://photos.example.org{essay.get_absolute_url()}"
    response = mention(client, source=SOURCE, target=target)
    assert response.status_code == 202
    assert response["Content-Type"].startswith("text/plain")
    assert b"checked" in response.content
    backlink = Backlink.objects.get()
    assert (backlink.kind, backlink.story, backlink.photo) == ("webmention", essay, None)
    assert (backlink.status, backlink.verification) == ("pending", "queued")
    assert backlink.source_host == "blog.example.net"
    assert queued_checks() == [backlink.pk]


def test_photo_anchors_and_permalinks_are_targets_too(client, essay_with_photo):
    essay, photo = essay_with_photo
    base = f"https://photos.example.org{essay.get_absolute_url()}"
    for target in (f"{base}#photo-{photo.pk}", f"{base}photos/{photo.pk}/"):
        assert mention(client, source=SOURCE, target=target).status_code == 202
    assert [b.photo for b in Backlink.objects.all()] == [photo, photo]
    response = mention(client, source=SOURCE, target=f"{base}#photo-{photo.pk + 99}")
    assert response.status_code == 400 and b"not part of this essay" in response.content


def test_the_host_the_request_came_to_is_ours_too(client, essay):
    target = f"http://testserver{essay.get_absolute_url()}"
    assert mention(client, source=SOURCE, target=target).status_code == 202


def test_sending_the_same_webmention_again_updates_the_row(client, essay):
    target = f"https://photos.example.org{essay.get_absolute_url()}"
    mention(client, source=SOURCE, target=target)
    # The first check ran and found no link.
    DBTaskResult.objects.update(status=TaskResultStatus.SUCCESSFUL)
    Backlink.objects.update(verification="rejected", verification_note="no link")
    assert mention(client, source=SOURCE, target=target).status_code == 202
    backlink = Backlink.objects.get()
    assert (backlink.verification, backlink.verification_note) == ("queued", "")
    assert queued_checks() == [backlink.pk, backlink.pk]


def test_sending_it_again_and_again_queues_one_check_and_counts(client, essay, settings):
    settings.FILMSTRIP_BACKLINKS_PER_IP_PER_10_MINUTES = 300
    target = f"https://photos.example.org{essay.get_absolute_url()}"
    codes = [mention(client, source=SOURCE, target=target).status_code for _ in range(300)]
    assert codes == [202] * 300
    assert queued_checks() == [Backlink.objects.get().pk]  # one fetch waiting, not 300
    # Each of them counted against the flood limit all the same.
    assert mention(client, source=SOURCE, target=target).status_code == 429
    assert mention(client, source=f"{SOURCE}?new", target=target).status_code == 429


@pytest.fixture
def draft(essay):
    return Story.objects.create(title="Not yet", author=essay.author)


BAD_WEBMENTIONS = [
    ({"target": "{essay}"}, "source URL is missing"),
    ({"source": SOURCE}, "target URL is missing"),
    ({"source": "/2024/05/run.html", "target": "{essay}"}, "absolute http or https URL"),
    ({"source": "javascript:alert(1)//", "target": "{essay}"}, "absolute http or https URL"),
    ({"source": "ftp://blog.example.net/x", "target": "{essay}"}, "absolute http or https URL"),
    ({"source": "https://blog.example.net:99999/", "target": "{essay}"}, "not a valid URL"),
    ({"source": "https://blog.example.net/a b", "target": "{essay}"}, "spaces"),
    ({"source": "https://x.example/" + "a" * 2000, "target": "{essay}"}, "longer than 2000"),
    ({"source": SOURCE, "target": "https://elsewhere.example.org/post/"}, "not on this site"),
    ({"source": SOURCE, "target": "https://photos.example.org/"}, "Only an essay"),
    ({"source": SOURCE, "target": "https://photos.example.org/admin/"}, "Only an essay"),
    ({"source": SOURCE, "target": "https://photos.example.org/no-such-essay/"}, "no published"),
    ({"source": SOURCE, "target": "{draft}"}, "no published essay"),
    ({"source": "{essay}", "target": "{essay}"}, "same URL"),
    ({"source": "http://127.0.0.1:8000/x", "target": "{essay}"}, "not on the public web"),
    ({"source": "http://169.254.169.254/latest/", "target": "{essay}"}, "not on the public web"),
    ({"source": "http://localhost/x", "target": "{essay}"}, "not on the public web"),
]


@pytest.mark.parametrize(("fields", "message"), BAD_WEBMENTIONS)
def test_bad_webmentions_are_refused_clearly_and_nothing_is_stored(
    client, essay, draft, fields, message
):
    urls = {
        "essay": f"https://photos.example.org{essay.get_absolute_url()}",
        "draft": f"https://photos.example.org{draft.get_absolute_url()}",
    }
    data = {key: value.format(**urls) for key, value in fields.items()}
    response = mention(client, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Backlink.objects.exists() and not queued_checks()


def test_a_draft_and_a_missing_essay_are_refused_alike(client, essay, draft):
    answers = [
        mention(client, source=SOURCE, target=f"https://photos.example.org/{slug}/").content
        for slug in (draft.slug, "never-existed")
    ]
    assert answers[0] == answers[1]


def test_oversized_and_get_requests_are_refused(client, essay):
    target = f"https://photos.example.org{essay.get_absolute_url()}"
    response = mention(client, source=SOURCE + "?" + "x" * 9000, target=target)
    assert response.status_code == 413
    assert client.get("/webmention").status_code == 405
    assert not Backlink.objects.exists()


def ping(client, body: str | bytes):
    response = client.post("/xmlrpc", body, content_type="text/xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/xml")
    try:
        return xmlrpc.client.loads(response.content)[0][0]
    except xmlrpc.client.Fault as fault:
        return fault


def ping_call(*params, method="pingback.ping") -> str:
    return xmlrpc.client.dumps(params, method)


def test_a_pingback_is_accepted_and_queued_and_a_repeat_is_already_registered(client, essay):
    target = f"https://photos.example.org{essay.get_absolute_url()}"
    answer = ping(client, ping_call(SOURCE, target))
    assert isinstance(answer, str) and "received" in answer
    backlink = Backlink.objects.get()
    assert (backlink.kind, backlink.story) == ("pingback", essay)
    assert queued_checks() == [backlink.pk]
    again = ping(client, ping_call(SOURCE, target))
    assert isinstance(again, xmlrpc.client.Fault) and again.faultCode == 0x0030
    assert Backlink.objects.count() == 1 and queued_checks() == [backlink.pk]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        (("not a url", "{essay}"), 0x0010),
        (("gopher://blog.example.net/", "{essay}"), 0x0010),
        ((SOURCE, "{draft}"), 0x0020),
        ((SOURCE, "https://photos.example.org/no-such-essay/"), 0x0020),
        ((SOURCE, "https://elsewhere.example.org/post/"), 0x0021),
        ((SOURCE, "https://photos.example.org/"), 0x0021),
        ((SOURCE, "not a url"), 0x0021),
        (("http://10.0.0.5/", "{essay}"), 0x0031),
        (("{essay}", "{essay}"), 0),
        ((SOURCE,), 0),
        ((SOURCE, 7), 0),
    ],
)
def test_bad_pingbacks_get_the_specified_fault_and_store_nothing(
    client, essay, draft, params, code
):
    urls = {
        "essay": f"https://photos.example.org{essay.get_absolute_url()}",
        "draft": f"https://photos.example.org{draft.get_absolute_url()}",
    }
    params = tuple(p.format(**urls) if isinstance(p, str) else p for p in params)
    fault = ping(client, ping_call(*params))
    assert isinstance(fault, xmlrpc.client.Fault)
    assert fault.faultCode == code and fault.faultString
    assert not Backlink.objects.exists() and not queued_checks()


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<methodCall><methodName>pingback.ping</methodName><params>
<param><value><string>&lol9;</string></value></param>
<param><value><string>{target}</string></value></param>
</params></methodCall>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE methodCall [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<methodCall><methodName>pingback.ping</methodName><params>
<param><value><string>https://blog.example.net/&xxe;</string></value></param>
<param><value><string>{target}</string></value></param>
</params></methodCall>"""

EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE methodCall SYSTEM "http://127.0.0.1:9/evil.dtd">
<methodCall><methodName>pingback.ping</methodName><params>
<param><value><string>https://blog.example.net/</string></value></param>
<param><value><string>{target}</string></value></param>
</params></methodCall>"""


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (BOMB, "not accepted"),
        (EXTERNAL_ENTITY, "not accepted"),
        (EXTERNAL_DTD, "not accepted"),
        ("<methodCall><methodName>pingback.ping</methodName><params>", "not a valid XML-RPC"),
        ("{json: true}", "not a valid XML-RPC"),
        ("", "not a valid XML-RPC"),
        ("<methodCall><params></params></methodCall>", "no methodName"),
        (
            "<methodCall><methodName>pingback.ping</methodName><params><param><value>"
            "<int>seven</int></value></param></params></methodCall>",
            "not a valid XML-RPC",
        ),
        ("<x>" + "a" * 70_000 + "</x>", "larger than"),
    ],
)
def test_malformed_and_hostile_xml_gets_a_generic_fault_fast(client, essay, body, message):
    target = f"https://photos.example.org{essay.get_absolute_url()}"
    started = time.monotonic()
    fault = ping(client, body.replace("{target}", target))
    assert time.monotonic() - started < 1
    assert isinstance(fault, xmlrpc.client.Fault)
    assert fault.faultCode == 0 and message in fault.faultString
    assert "root:" not in fault.faultString
    assert not Backlink.objects.exists()
    # and the endpoint goes on working
    assert isinstance(ping(client, ping_call(SOURCE, target)), str)


def test_other_methods_are_unknown(client):
    fault = ping(client, ping_call(method="system.listMethods"))
    assert fault.faultCode == -32601 and "pingback.ping" in fault.faultString


def test_receiving_never_touches_the_session(client, essay):
    User.objects.create_user("someone", "s@example.org", "pw")
    client.login(username="someone", password="pw")
    target = f"https://photos.example.org{essay.get_absolute_url()}"
    response = mention(client, source=SOURCE, target=target)
    assert response.status_code == 202 and "Cookie" not in response.get("Vary", "")


def test_one_address_may_send_only_so_many_in_ten_minutes(client, essay, settings):
    settings.FILMSTRIP_BACKLINKS_PER_IP_PER_10_MINUTES = 3
    target = f"https://photos.example.org{essay.get_absolute_url()}"
    codes = [mention(client, source=f"{SOURCE}?n={n}", target=target).status_code for n in range(4)]
    assert codes == [202, 202, 202, 429]
    fault = ping(client, ping_call(f"{SOURCE}?n=9", target))
    assert fault.faultCode == 0x0031 and "try again later" in fault.faultString
    other = client.post(
        "/webmention", {"source": SOURCE, "target": target}, REMOTE_ADDR="192.0.2.8"
    )
    assert other.status_code == 202
    assert Backlink.objects.count() == 4


def test_behind_a_trusted_proxy_senders_are_counted_apart(client, essay, settings):
    settings.FILMSTRIP_BACKLINKS_PER_IP_PER_10_MINUTES = 2
    settings.FILMSTRIP_TRUSTED_PROXIES = ("127.0.0.1",)
    target = f"https://photos.example.org{essay.get_absolute_url()}"

    def send(n, forwarded):
        data = {"source": f"{SOURCE}?n={n}", "target": target}
        return client.post("/webmention", data, HTTP_X_FORWARDED_FOR=forwarded).status_code

    # The left-most entry is the sender's own invention; the proxy appended the real address.
    codes = [send(n, f"10.0.0.{n}, 203.0.113.9") for n in range(3)]
    assert codes == [202, 202, 429]
    assert send(9, "198.51.100.4") == 202
    assert set(Backlink.objects.values_list("sender_ip", flat=True)) == {
        "203.0.113.9",
        "198.51.100.4",
    }


def test_an_ipv6_sender_is_counted_by_its_64(client, essay, settings):
    settings.FILMSTRIP_BACKLINKS_PER_IP_PER_10_MINUTES = 2
    target = f"https://photos.example.org{essay.get_absolute_url()}"

    def send(n, address):
        data = {"source": f"{SOURCE}?n={n}", "target": target}
        return client.post("/webmention", data, REMOTE_ADDR=address).status_code

    codes = [send(n, f"2001:db8:5:6::{n + 1}") for n in range(3)]
    assert codes == [202, 202, 429]
    assert send(9, "2001:db8:5:7::1") == 202
