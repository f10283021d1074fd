"""Behind the HTTPS proxy: redirect, HSTS and secure cookies, seen by a real HTTP client against
`filmstrip serve`; and the Content-Security-Policy on every response, HTTPS or not.

The server trusts 127.0.0.2 as its proxy: requests sent from that source address play the proxy,
requests from 127.0.0.1 a reader who reaches the web process directly and may send any header.
"""

import http.client
import os
import time

import pytest

from tests.browser.conftest import FILMSTRIP, Server, free_port
from tests.conftest import migrated

PROXY, DIRECT = "127.0.0.2", "127.0.0.1"
HTTPS = {"X-Forwarded-Proto": "https"}


def fetch(port: int, path: str, source: str = PROXY, headers=None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=10, source_address=(source, 0)
    )
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response
    finally:
        connection.close()


@pytest.fixture(scope="module")
def behind_https(tmp_path_factory):
    env = {
        **os.environ,
        "FILMSTRIP_DATA_DIR": str(tmp_path_factory.mktemp("https")),
        "FILMSTRIP_BEHIND_HTTPS_PROXY": "true",
        "FILMSTRIP_TRUSTED_PROXIES": PROXY,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    migrated(env["FILMSTRIP_DATA_DIR"])
    port = free_port()
    server = Server([FILMSTRIP, "serve", "--no-migrate", "--no-worker", "--port", str(port)], env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                fetch(port, "/", headers=HTTPS)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(server.output())
                time.sleep(0.3)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_plain_http_is_redirected_to_https(behind_https):
    response = fetch(behind_https, "/field-notes/?a=1")
    assert response.status == 301
    assert response.headers["Location"] == f"https://127.0.0.1:{behind_https}/field-notes/?a=1"


def test_https_answers_with_hsts_and_secure_cookies(behind_https):
    response = fetch(behind_https, "/admin/login/", headers=HTTPS)
    assert response.status == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    cookies = response.headers.get_all("Set-Cookie")
    assert any(cookie.startswith("csrftoken=") for cookie in cookies)
    for cookie in cookies:
        assert "; Secure" in cookie, cookie
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/", "/admin/login/"])
def test_only_the_trusted_proxy_may_say_the_reader_came_over_https(behind_https, path):
    # Straight to the web process: the header is the reader's own claim, so plain HTTP it is.
    response = fetch(behind_https, path, source=DIRECT, headers=HTTPS)
    assert response.status == 301, response.headers
    assert response.headers["Location"] == f"https://127.0.0.1:{behind_https}{path}"
    assert "Strict-Transport-Security" not in response.headers
    assert not response.headers.get_all("Set-Cookie")
    assert fetch(behind_https, path, headers=HTTPS).status == 200


@pytest.mark.parametrize("path", ["/", "/admin/login/", "/static/filmstrip/lightbox.js", "/nope/"])
def test_every_response_has_the_policy_without_https_too(client, db, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    policy = response["Content-Security-Policy"]
    assert (
        "default-src 'self'" in policy
        and "'unsafe-inline'" not in policy.split("style-src-attr")[0]
    )
