"""`filmstrip serve` warns when it would face the network without a buffering proxy."""

import os
import time

import pytest

from tests.browser.conftest import FILMSTRIP, free_port, running
from tests.conftest import migrated


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    env = {**os.environ, "FILMSTRIP_DATA_DIR": str(tmp_path_factory.mktemp("serve"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    migrated(env["FILMSTRIP_DATA_DIR"])
    return env


def served_output(env, host: str) -> str:
    port = free_port()
    command = [FILMSTRIP, "serve", "--no-migrate", "--no-worker", "--host", host]
    with running([*command, "--port", str(port)], env, ready_url=f"http://127.0.0.1:{port}/") as p:
        time.sleep(0.5)
        return p.output()


def test_listening_on_every_address_warns_about_the_missing_proxy(env):
    output = served_output(env, "0.0.0.0")  # noqa: S104
    assert "Warning: listening on 0.0.0.0" in output and "buffering proxy" in output


def test_loopback_is_quiet(env):
    assert "buffering proxy" not in served_output(env, "127.0.0.1")


@pytest.mark.parametrize("host", ["::1", "[::1]"])
def test_an_ipv6_loopback_address_is_served(env, host):
    """gunicorn needs "[::1]:8000"; a bare "::1:8000" made it exit at start."""
    port = free_port()
    command = [FILMSTRIP, "serve", "--no-migrate", "--no-worker", "--host", host]
    with running([*command, "--port", str(port)], env, ready_url=f"http://[::1]:{port}/") as p:
        time.sleep(0.5)
        output = p.output()
    assert f"serving on http://[::1]:{port}/" in output
    assert "buffering proxy" not in output
