"""Behind the HTTPS proxy: redirect, HSTS and secure cookies, seen by a real HTTP client against
`filmstrip serve`; and the Content-Security-Policy on every response, HTTPS or not."""

import os
import time
import urllib.error
import urllib.request

import pytest

from tests.browser.conftest import FILMSTRIP, Server, free_port
from tests.conftest import migrated


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, **headers):
    opener = urllib.request.build_opener(NoRedirect)
    try:
        return opener.open(urllib.request.Request(url, headers=headers), timeout=10)
    except urllib.error.HTTPError as error:  # 3xx and 4xx come back as errors here
        return error


@pytest.fixture(scope="module")
def behind_https(tmp_path_factory):
    env = {
        **os.environ,
        "FILMSTRIP_DATA_DIR": str(tmp_path_factory.mktemp("https")),
        "FILMSTRIP_BEHIND_HTTPS_PROXY": "true",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    migrated(env["FILMSTRIP_DATA_DIR"])
    port = free_port()
    server = Server([FILMSTRIP, "serve", "--no-migrate", "--no-worker", "--port", str(port)], env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                fetch(f"{base}/", **{"X-Forwarded-Proto": "https"}).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(server.output())
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_plain_http_is_redirected_to_https(behind_https):
    response = fetch(f"{behind_https}/field-notes/?a=1")
    assert response.status == 301
    assert response.headers["Location"] == f"https://{behind_https[7:]}/field-notes/?a=1"


def test_https_answers_with_hsts_and_secure_cookies(behind_https):
    response = fetch(f"{behind_https}/admin/login/", **{"X-Forwarded-Proto": "https"})
    assert response.status == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    cookies = response.headers.get_all("Set-Cookie")
    assert any(cookie.startswith("csrftoken=") for cookie in cookies)
    for cookie in cookies:
        assert "; Secure" in cookie, cookie
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/", "/admin/login/", "/static/filmstrip/lightbox.js", "/nope/"])
def test_every_response_has_the_policy_without_https_too(client, db, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    policy = response["Content-Security-Policy"]
    assert (
        "default-src 'self'" in policy
        and "'unsafe-inline'" not in policy.split("style-src-attr")[0]
    )
