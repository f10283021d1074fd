"""The serving layer in front of Django, called as a WSGI server calls it."""

import gzip
import threading
from wsgiref.util import setup_testing_defaults

import brotli
import pytest

from filmstrip.published import files, rebuild, requests, serving
from filmstrip.published.models import PendingRebuild

pytestmark = pytest.mark.django_db


class Django:
    """Stands for Django behind the layer: counts what reaches it."""

    def __init__(self):
        self.paths = []

    def __call__(self, environ, start_response):
        self.paths.append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Type", "text/html"), ("Cache-Control", "public")])
        return [b"from django"]


def call(app, path, method="GET", query="", raw=None, **headers):
    environ = {"REQUEST_METHOD": method, "QUERY_STRING": query}
    environ["PATH_INFO"] = path.encode().decode("latin-1")
    environ["RAW_URI"] = raw or path + (f"?{query}" if query else "")
    environ.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(response_headers)

    body = b"".join(app(environ, start_response))
    return int(answer["status"][:3]), answer["headers"], body


@pytest.fixture
def site(story, published_dir, monkeypatch):
    monkeypatch.setattr(serving, "CHECK_EVERY_SECONDS", 0)
    rebuild.rebuild([requests.ALL])
    django = Django()
    return serving.PublishedFiles(django, str(published_dir)), django, published_dir


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=0, br;q=0", None),
        ("*", "br"),
        ("*;q=0", None),
        ("", None),
        ("identity", None),
    ],
)
def test_a_page_is_sent_from_its_file_in_the_encoding_the_reader_accepts(
    site, accept, encoding, django_assert_num_queries
):
    app, django, folder = site
    plain = (folder / "harbour-at-dawn/index.html").read_bytes()
    with django_assert_num_queries(0):
        status, headers, body = call(app, "/harbour-at-dawn/", accept_encoding=accept)
    assert status == 200 and django.paths == []
    assert headers.get("Content-Encoding") == encoding
    decode = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[encoding]
    assert decode(body) == plain
    assert int(headers["Content-Length"]) == len(body)
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Vary"] == "Accept-Encoding"
    assert headers["Cache-Control"] == "public, max-age=0, s-maxage=300"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["ETag"].startswith('"') and headers["Last-Modified"].endswith("GMT")


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/", "text/html; charset=utf-8"),
        ("/feed/rss/", "application/xml; charset=utf-8"),
        ("/feed/atom/", "application/xml; charset=utf-8"),
        ("/feed/json/", "application/feed+json; charset=utf-8"),
        ("/tags/sea/", "text/html; charset=utf-8"),
        ("/harbour-at-dawn/comments/feed/", "application/xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
    ],
)
def test_every_kind_of_document_has_its_type(site, path, content_type):
    app, django, _ = site
    status, headers, _ = call(app, path)
    assert (status, headers["Content-Type"], django.paths) == (200, content_type, [])


def test_validators_give_304_and_head_gives_no_body(site):
    app, django, _ = site
    _, headers, body = call(app, "/harbour-at-dawn/", accept_encoding="br")
    etag, modified = headers["ETag"], headers["Last-Modified"]
    status, again, body = call(app, "/harbour-at-dawn/", accept_encoding="br", if_none_match=etag)
    assert (status, body, again["ETag"]) == (304, b"", etag)
    status, _, _ = call(
        app, "/harbour-at-dawn/", if_none_match='"other"', if_modified_since=modified
    )
    assert status == 200  # If-None-Match decides when both are sent
    status, _, _ = call(app, "/harbour-at-dawn/", if_modified_since=modified)
    assert status == 304
    status, _, _ = call(app, "/harbour-at-dawn/", if_modified_since="Thu, 01 Jan 1970 00:00:00 GMT")
    assert status == 200
    status, headers, body = call(app, "/harbour-at-dawn/", method="HEAD")
    assert (status, body) == (200, b"") and int(headers["Content-Length"]) > 1000
    assert django.paths == []


def test_a_public_rendition_is_sent_for_good_and_anything_else_goes_to_django(site):
    app, django, folder = site
    name = next((folder / "media/r").rglob("*.*")).relative_to(folder)
    status, headers, body = call(app, f"/{name}")
    assert status == 200 and body == (folder / name).read_bytes()
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["Content-Type"].startswith("image/") and "Vary" not in headers
    call(app, "/media/r/00/not-exported.webp")
    call(app, "/studio/")
    call(app, "/harbour-at-dawn/", method="POST")
    call(app, "/no-such-essay/")
    assert django.paths == ["/media/r/00/not-exported.webp", "/studio/", "/harbour-at-dawn/"] + [
        "/no-such-essay/"
    ]


@pytest.mark.parametrize(
    ("path", "raw"),
    [
        ("/../secret.html", None),
        ("/harbour-at-dawn/../../secret.html", None),
        ("/../secret.html", "/%2e%2e/secret.html"),
        ("/harbour-at-dawn/", "/harbour-at-dawn%2F"),
        ("/harbour-at-dawn/photos/", "/harbour-at-dawn%2fphotos/"),
        ("/harbour-at-dawn\\", "/harbour-at-dawn%5c"),
        ("/harbour-at-dawn\\..\\..\\secret.html", None),
        ("/harbour-at-dawn\x00/", "/harbour-at-dawn%00/"),
        ("/harbour-at-dawn/\x00", None),
        ("/" + "a" * 1100 + "/", None),
        ("/" + "a" * 300 + "/", None),
        ("/.stamp", None),
        ("/.headers.json", None),
        ("/.lock", None),
        ("/harbour-at-dawn/index.html", None),
        ("/harbour-at-dawn/index.html.br", None),
        ("/media/r/../../.stamp", None),
        ("/media/r/%2e%2e/x", "/media/r/%2e%2e/x"),
        ("/media/r/", None),
        ("//harbour-at-dawn/", None),
        ("/tags//", None),
    ],
)
def test_paths_our_slugs_could_not_make_go_to_django(site, path, raw):
    app, django, folder = site
    (folder.parent / "secret.html").write_text("outside")
    status, _, body = call(app, path, raw=raw)
    assert (status, body) == (200, b"from django")
    assert len(django.paths) == 1


def test_a_tracking_query_gets_the_file_any_other_query_goes_to_django(site):
    app, django, _ = site
    assert call(app, "/harbour-at-dawn/", query="utm_source=x&fbclid=1")[2] != b"from django"
    assert call(app, "/harbour-at-dawn/", query="comment=12")[2] == b"from django"
    assert call(app, "/sitemap.xml", query="p=2")[2] == b"from django"
    assert django.paths == ["/harbour-at-dawn/", "/sitemap.xml"]


def test_behind_an_https_proxy_plain_http_goes_to_django_to_be_redirected(site, settings):
    app, django, _ = site
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert call(app, "/")[2] == b"from django"
    assert call(app, "/", x_forwarded_proto="https")[2] != b"from django"


def test_a_missing_page_is_rendered_by_django_and_its_file_asked_for(
    site, django_capture_on_commit_callbacks
):
    app, django, folder = site
    files.remove_document(str(folder / "harbour-at-dawn/index.html"))
    with django_capture_on_commit_callbacks(execute=True):
        assert call(app, "/harbour-at-dawn/")[2] == b"from django"
        call(app, "/harbour-at-dawn/")  # asked once, not on every request
    assert list(PendingRebuild.objects.values_list("target", "version")) == [
        ("path:/harbour-at-dawn/", 1)
    ]


def test_a_deleted_or_outdated_directory_is_not_served_and_is_rebuilt(site):
    app, django, folder = site
    (folder / ".stamp").write_text("another version")
    assert call(app, "/")[2] == b"from django"
    assert PendingRebuild.objects.filter(target="all").exists()
    rebuild.rebuild([requests.ALL])
    assert call(app, "/")[2] != b"from django"


@pytest.mark.parametrize("kept", [True, False], ids=["kept in memory", "read each time"])
def test_readers_during_rewrites_get_one_whole_version(story, published_dir, monkeypatch, kept):
    monkeypatch.setattr(serving, "CHECK_EVERY_SECONDS", 0)
    if not kept:
        monkeypatch.setattr(serving, "KEEP_BYTES", 0)
    rebuild.rebuild([requests.ALL])
    app = serving.PublishedFiles(Django(), str(published_dir))
    versions = [b"<p>old</p>" * 5000, b"<p>new, and longer</p>" * 9000]
    page = str(published_dir / "harbour-at-dawn/index.html")
    files.write_document(page, versions[0], 1.0)
    stop, seen, wrong = threading.Event(), set(), set()

    def write():
        for turn in range(60):
            files.write_document(page, versions[turn % 2], float(turn + 2))
        stop.set()

    def read(accept):
        decode = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}
        while not stop.is_set():
            _, headers, body = call(app, "/harbour-at-dawn/", accept_encoding=accept)
            try:  # as the reader's browser would: by what the headers say
                body = decode[headers.get("Content-Encoding")](body)
                assert int(headers["Content-Length"]) == len(body) or "Content-Encoding" in headers
            except Exception as error:  # noqa: BLE001 (any failure is a wrong answer)
                wrong.add(repr(error)[:80])
                continue
            (seen if body in versions else wrong).add(body[:40])

    threads = [threading.Thread(target=read, args=(a,)) for a in ("br", "gzip", "", "br")]
    threads.append(threading.Thread(target=write))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not wrong and len(seen) == 2
