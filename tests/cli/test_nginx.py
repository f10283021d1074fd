"""`filmstrip nginx-config` in front of a real `filmstrip serve`, checked through a real nginx.

Debian's nginx and libnginx-mod-http-brotli-static (scripts/install-system-deps) run in the
foreground with the generated server block on a free loopback port. What nginx sends itself is
told apart from what Django sends by `filmstrip serve`'s access log.
"""

import gzip
import http.client
import mimetypes
import os
import re
import subprocess
import time
import urllib.parse
from email.message import Message
from pathlib import Path

import brotli
import pytest
import requests

from tests.browser.conftest import FILMSTRIP, free_port, running
from tests.cli import nginx_server
from tests.conftest import REPO, migrated

pytestmark = pytest.mark.skipif(
    not nginx_server.available(),
    reason="needs Debian's nginx and libnginx-mod-http-brotli-static (scripts/install-system-deps)",
)

ESSAY = "/field-notes/"
PASSWORD = "a long staff password 42"
DEMO_PHOTOS = REPO / "src" / "filmstrip" / "demo" / "photos"


def environment(data: Path) -> dict[str, str]:
    env = {**os.environ, "FILMSTRIP_DATA_DIR": str(data), "FILMSTRIP_TRUSTED_PROXIES": "127.0.0.1"}
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "FILMSTRIP_BEHIND_HTTPS_PROXY"):
        env.pop(name, None)
    return env


def filmstrip(env, *args, **kwargs) -> str:
    done = subprocess.run(
        [FILMSTRIP, *args], env=env, check=True, capture_output=True, text=True, cwd=REPO, **kwargs
    )
    return done.stdout


def nginx_config(env, *args) -> str:
    return filmstrip(env, "nginx-config", *args)


def django_shell(env, code: str) -> str:
    """What ``code`` prints in `filmstrip shell`, run with the site's environment."""
    return filmstrip(env, "shell", "--no-imports", "-c", code).strip()


class Front:
    """nginx's address, and what is needed to see behind it."""

    def __init__(self, base, env, data, serve):
        self.base, self.env, self.data, self.serve = base, env, data, serve
        self.published = Path(
            django_shell(
                env, "from django.conf import settings as s; print(s.FILMSTRIP_PUBLISHED_DIR)"
            )
        )

    def django_log(self) -> str:
        self.serve.log.seek(0)
        return self.serve.log.read().decode(errors="replace")

    def django_saw(self, path: str, expected: int | None = None) -> int:
        """Requests for ``path`` in the access log of `filmstrip serve` (gunicorn's lines).

        A line is written once its answer has gone out, so a moment after the client has it:
        wait for ``expected`` lines (a second at most), or half a second before counting.
        """
        line = re.compile(rf'^\S+ - - \[[^]]+\] "GET {re.escape(path)} HTTP/', re.M)
        deadline = time.monotonic() + (1 if expected is not None else 0.5)
        while True:
            seen = len(line.findall(self.django_log()))
            if seen == expected or time.monotonic() > deadline:
                return seen
            time.sleep(0.05)

    def raw(self, path: str, headers=None, method="GET") -> tuple[int, Message, bytes]:
        """One request exactly as written (no client-side clean-up of the path, no decoding)."""
        url = urllib.parse.urlsplit(self.base)
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        try:
            connection.putrequest(method, path, skip_accept_encoding=True)
            for name, value in (headers or {}).items():
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.msg, response.read()
        finally:
            connection.close()


def _wait(condition, what: str, seconds: float = 180):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {seconds} s")
        time.sleep(0.3)


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    data = tmp_path_factory.mktemp("front")
    folder = tmp_path_factory.mktemp("nginx")
    env = environment(data)
    migrated(data, demo=True)
    filmstrip(env, "collectstatic", "--no-input")
    staff = {**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD}
    filmstrip(staff, "createsuperuser", "--no-input", "--username", "staff", "--email", "s@x.org")
    django_port, nginx_port = free_port(), free_port()
    upstream = f"127.0.0.1:{django_port}"
    server_block = nginx_config(env, "--listen", f"127.0.0.1:{nginx_port}", "--upstream", upstream)
    (folder / "filmstrip.conf").write_text(server_block)
    serve = [FILMSTRIP, "serve", "--no-migrate", "--port", str(django_port)]
    with running(serve, env, ready_url=f"http://{upstream}/") as server:
        base = f"http://127.0.0.1:{nginx_port}"
        http = f"    include {folder}/filmstrip.conf;"
        with nginx_server.nginx(folder, http, ready_url=f"{base}/", env=env):
            site = Front(base, env, data, server)
            # A draft with a photo no reader may see: a demo photo and one byte more, so a photo
            # of its own, processed by the server's worker.
            drafts = tmp_path_factory.mktemp("draft")
            (drafts / "secret.jpg").write_bytes((DEMO_PHOTOS / "cat.jpg").read_bytes() + b"\0")
            filmstrip(env, "import", "folder", str(drafts), "--title", "Not yet", "--wait")

            def settled():
                page = site.published / ESSAY.strip("/") / "index.html"
                return page.exists() and b'class="photo-pending"' not in page.read_bytes()

            _wait(settled, "the demo essay's published page with every photo")
            yield site


def test_the_configuration_passes_nginx_own_check(tmp_path):
    env = environment(tmp_path)
    for brotli_option in ("yes", "no"):
        block = nginx_config(env, "--brotli", brotli_option, "--listen", "127.0.0.1:1")
        assert ("\n    brotli_static on;" in block) == (brotli_option == "yes")
        (tmp_path / "filmstrip.conf").write_text(block)
        conf = nginx_server.main_config(tmp_path, f"    include {tmp_path}/filmstrip.conf;")
        if brotli_option == "no":  # as on a machine without the module
            conf.write_text(re.sub(r"load_module .*;", "", conf.read_text()))
        check = subprocess.run(
            [nginx_server.NGINX, "-t", "-c", str(conf), "-e", str(tmp_path / "error.log")],
            capture_output=True,
            text=True,
        )
        assert check.returncode == 0, check.stderr
        assert "[warn]" not in check.stderr


def test_the_defaults_are_those_of_filmstrip_serve(tmp_path):
    env = environment(tmp_path)
    block = nginx_config(env)
    assert "server 127.0.0.1:8000;" in block
    assert "listen 80;" in block
    assert f'root "{tmp_path / "published"}";' in block
    moved = nginx_config({**env, "HOST": "::1", "PORT": "8123"}, "--server-name", "photos.example")
    assert "server [::1]:8123;" in moved
    assert "server_name photos.example;" in moved


def test_it_says_what_would_keep_nginx_from_its_files(tmp_path):
    env = environment(tmp_path / "data")
    done = subprocess.run(
        [FILMSTRIP, "nginx-config"], env=env, capture_output=True, text=True, cwd=REPO, check=True
    )
    assert "collectstatic" in done.stderr  # STATIC_ROOT is empty
    # The data directory is its owner's only (0700), and its owner is not www-data.
    published = tmp_path / "data" / "published"
    assert "is closed to other users" in done.stderr
    assert f"(www-data on Debian) cannot read {published}" in done.stderr
    assert "closed" not in done.stdout and "Note" not in done.stdout


def test_certbot_can_add_its_challenges(tmp_path):
    """certbot answers ACME challenges from a location it adds; hidden names are not refused."""
    env = environment(tmp_path / "data")
    port = free_port()
    block = nginx_config(env, "--listen", f"127.0.0.1:{port}", "--upstream", "127.0.0.1:1")
    challenges = tmp_path / "acme" / ".well-known" / "acme-challenge"
    challenges.mkdir(parents=True)
    (challenges / "t0k3n").write_text("t0k3n.thumbprint")
    certbot = f"location ^~ /.well-known/acme-challenge/ {{ root {tmp_path / 'acme'}; }}"
    block = block.replace("server_tokens off;", f"server_tokens off;\n    {certbot}")
    (tmp_path / "filmstrip.conf").write_text(block)
    base = f"http://127.0.0.1:{port}"
    http = f"    include {tmp_path}/filmstrip.conf;"
    ready = f"{base}/.well-known/acme-challenge/t0k3n"
    with nginx_server.nginx(tmp_path, http, ready_url=ready, env=env):
        assert requests.get(ready, timeout=30).text == "t0k3n.thumbprint"
        # Other hidden names still go to Django (not running here: 502).
        assert requests.get(f"{base}/.well-known/other", timeout=30).status_code == 502


def _decoded(body: bytes, encoding: str | None) -> bytes:
    return {"br": brotli.decompress, "gzip": gzip.decompress}.get(encoding, bytes)(body)


def test_an_essay_page_is_sent_from_its_file(front):
    before = front.django_saw(ESSAY)
    page = front.published / "field-notes" / "index.html"
    for accepted, encoding in (("gzip, deflate, br", "br"), ("gzip", "gzip"), ("", None)):
        status, headers, body = front.raw(ESSAY, {"Accept-Encoding": accepted})
        assert status == 200
        assert headers.get("Content-Encoding") == encoding
        assert _decoded(body, encoding) == page.read_bytes()
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert headers["Cache-Control"] == "public, max-age=0, s-maxage=300"
        assert headers["Vary"] == "Accept-Encoding"
        assert headers["Last-Modified"]
        again = front.raw(ESSAY, {"Accept-Encoding": accepted, "If-None-Match": headers["ETag"]})
        assert again[0] == 304
    assert front.django_saw(ESSAY) == before, front.django_log()[-3000:]  # nginx alone
    # The same security headers Django gives the pages it renders itself.
    _, django_headers, _ = front.raw("/accounts/login/")
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
                 "X-Frame-Options", "Cross-Origin-Opener-Policy"):  # fmt: skip
        assert headers[name] == django_headers[name], name


def test_feeds_and_site_files_have_their_types(front):
    for path, kind in (
        ("/feed/rss/", "application/xml; charset=utf-8"),
        ("/feed/atom/", "application/xml; charset=utf-8"),
        ("/feed/json/", "application/feed+json; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
    ):
        before = front.django_saw(path)
        status, headers, _ = front.raw(path, {"Accept-Encoding": "gzip, br"})
        assert (status, headers["Content-Type"], headers.get("Content-Encoding")) == (
            200, kind, "br",
        ), path  # fmt: skip
        assert front.django_saw(path) == before, path


def test_static_files_are_sent_precompressed(front):
    path = "/static/filmstrip/comments.js"
    status, headers, body = front.raw(path, {"Accept-Encoding": "gzip, br"})
    assert (status, headers.get("Content-Encoding")) == (200, "br")
    assert headers["Cache-Control"] == "max-age=60, public"  # as WhiteNoise sends them
    source = REPO / "src" / "filmstrip" / "static" / "filmstrip" / "comments.js"
    assert brotli.decompress(body) == source.read_bytes()
    assert front.django_saw(path) == 0


def test_a_published_rendition_is_sent_for_good(front):
    _, _, html = front.raw(ESSAY)
    path = re.search(rb'src="(/media/r/[^"]+)"', html)[1].decode()
    status, headers, body = front.raw(path, {"Accept-Encoding": "gzip, br"})
    assert status == 200
    assert headers["Content-Type"] == mimetypes.guess_type(path)[0]
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Content-Encoding" not in headers
    assert body == (front.published / path.lstrip("/")).read_bytes()
    assert front.django_saw(path) == 0


def test_a_drafts_rendition_is_not_for_readers(front):
    names = django_shell(
        front.env,
        "from filmstrip.photos.models import Rendition;"
        "print(*Rendition.objects.filter(photo__original_filename='secret.jpg')"
        ".values_list('name', flat=True))",
    ).split()
    assert names, "the draft's photo was not processed"
    for name in names:
        path = f"/media/{name}"
        status, headers, _ = front.raw(path)
        assert status == 404
        assert "immutable" not in headers.get("Cache-Control", "")
        assert front.django_saw(path, 1) == 1  # Django decided, not a file


def _staff(front) -> requests.Session:
    session = requests.Session()
    session.get(f"{front.base}/admin/login/", timeout=30)
    answer = session.post(
        f"{front.base}/admin/login/?next=/admin/",
        data={
            "username": "staff",
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "next": "/admin/",
        },
        timeout=30,
    )
    assert answer.url.endswith("/admin/"), answer.text[:500]
    return session


def _post_comment(front, session, body: str) -> requests.Response:
    tokens = session.get(f"{front.base}/comments/field-notes/form", timeout=30).json()
    time.sleep(3.2)  # FILMSTRIP_COMMENTS_MIN_SECONDS: faster is a bot
    return session.post(
        f"{front.base}/comments/field-notes/post",
        data={
            "name": "Rosa Lind",
            "email": "rosa@example.org",
            "body": body,
            "token": tokens["token"],
            "csrfmiddlewaretoken": tokens["csrf"],
        },
        allow_redirects=False,
        timeout=30,
    )


def test_a_comment_approved_in_the_admin_is_on_the_page_within_two_seconds(front):
    reader = requests.Session()
    held = _post_comment(front, reader, "First visit: the falcon photo is superb.")
    assert held.status_code == 200 and "comment" in held.text.lower()
    pk = django_shell(
        front.env,
        "from filmstrip.comments.models import Comment;"
        "print(Comment.objects.get(body__startswith='First visit').pk)",
    )
    staff = _staff(front)
    approved = staff.post(
        f"{front.base}/admin/comments/comment/",
        data={
            "action": "approve",
            "_selected_action": pk,
            "select_across": "0",
            "index": "0",
            "csrfmiddlewaretoken": staff.cookies["csrftoken"],
        },
        timeout=30,
    )
    assert approved.status_code == 200
    started, before = time.monotonic(), front.django_saw(ESSAY)
    _wait(lambda: b"the falcon photo is superb" in front.raw(ESSAY)[2], "the comment", 2)
    assert time.monotonic() - started <= 2
    assert front.django_saw(ESSAY) == before  # seen in the file nginx sends
    # Now known, the reader's next comment goes up at once; the address they are sent to
    # shows it even before the file is rewritten.
    second = _post_comment(front, reader, "Coming back: and the cactus.")
    assert second.status_code == 302
    assert "and the cactus" in reader.get(front.base + second.headers["Location"], timeout=30).text


def test_the_studio_and_sign_in_are_django(front):
    anonymous = requests.get(f"{front.base}/studio/", allow_redirects=False, timeout=30)
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/admin/login/?next=/studio/")
    studio = _staff(front).get(f"{front.base}/studio/", timeout=30)
    assert studio.status_code == 200 and "Not yet" in studio.text
    chooser = requests.get(f"{front.base}/accounts/login/", timeout=30)
    assert chooser.status_code == 200 and "Sign in to comment" in chooser.text


def test_a_webmention_is_accepted(front):
    answer = requests.post(
        f"{front.base}/webmention",
        data={"source": "https://blog.example.net/2024/run.html", "target": front.base + ESSAY},
        timeout=30,
    )
    assert answer.status_code == 202, answer.text


SECRET = "secret_key"


@pytest.mark.parametrize(
    "path",
    [
        f"/../{SECRET}",
        f"/%2e%2e/{SECRET}",
        f"/..%2f{SECRET}",
        f"/field-notes/..%2f..%2f{SECRET}",
        f"/media/r/..%2f..%2f..%2f{SECRET}",
        f"/media/r/%2e%2e/%2e%2e/%2e%2e/{SECRET}",
        f"/static/..%2f..%2f{SECRET}",
        f"/static/..%5c..%5c{SECRET}",
        "/field-notes%2findex.html",
        "/field-notes%2F",
        "/field-notes/index.html%00",
        "/field-notes%00/",
        "/field-notes\\",
        "//field-notes/",
        "/" + "a" * 1100 + "/",
    ],
)
def test_a_hostile_address_never_reaches_a_file(front, path):
    """nginx refuses it (400) or hands it to `filmstrip serve`, which answers as it always has
    (its log has the path as decoded: %2f is a slash there, as it is to Django's URLs)."""
    logged = urllib.parse.unquote(path, errors="surrogateescape")
    before = front.django_saw(logged)
    status, _, body = front.raw(path)
    assert status == 400 or front.django_saw(logged, before + 1) == before + 1, (status, body[:200])
    assert status < 500
    assert (front.data / SECRET).read_bytes() not in body
