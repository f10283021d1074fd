"""The trusted-proxy setting end to end: `filmstrip serve` read from its environment, real HTTP."""

import os
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.browser.conftest import FILMSTRIP, free_port, running
from tests.conftest import migrated

SOURCE = "https://blog.example.net/2024/run.html"


def send(base: str, n: int, forwarded: str) -> int:
    data = urllib.parse.urlencode({"source": f"{SOURCE}?n={n}", "target": f"{base}/field-notes/"})
    request = urllib.request.Request(
        f"{base}/webmention", data=data.encode(), headers={"X-Forwarded-For": forwarded}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize("trusted", ["127.0.0.1", ""])
def test_a_served_site_counts_the_forwarded_client(tmp_path, trusted):
    env = {**os.environ, "FILMSTRIP_DATA_DIR": str(tmp_path), "FILMSTRIP_TRUSTED_PROXIES": trusted}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    env.pop("FILMSTRIP_BEHIND_HTTPS_PROXY", None)
    migrated(tmp_path, demo=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [FILMSTRIP, "serve", "--no-migrate", "--port", str(port)]
    with running(command, env, ready_url=f"{base}/"):
        # 30 notices in ten minutes is the default limit; the sender varies the left-most entry.
        codes = [send(base, n, f"10.9.{n}.1, 203.0.113.9") for n in range(31)]
        assert codes == [202] * 30 + [429]
        other = send(base, 99, "198.51.100.4")
    # Trusted, the proxy's loopback address is not the client's: someone else is served.
    # Untrusted, every request is the proxy's own, and the limit closes for everyone.
    assert other == (202 if trusted else 429)
