"""Start-up as an operator meets it: the real `filmstrip` command and a fresh data directory."""

import os
import stat
import subprocess
import sys

import pytest

from filmstrip.project import datadir
from tests.browser.conftest import FILMSTRIP, free_port
from tests.conftest import REPO


def environment(data, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FILMSTRIP_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    return {**env, "FILMSTRIP_DATA_DIR": str(data), **extra}


def run(env, *args, timeout=120):
    return subprocess.run(
        [FILMSTRIP, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout
    )


def test_a_bad_environment_value_stops_start_up_naming_the_variable(tmp_path):
    done = run(environment(tmp_path, FILMSTRIP_COMMENTS_MAX_DEPTH="deep"), "check")
    assert done.returncode != 0
    assert done.stderr.strip() == (
        "filmstrip: FILMSTRIP_COMMENTS_MAX_DEPTH must be a whole number (got 'deep')."
    )


@pytest.mark.parametrize(
    ("name", "value", "error"),
    [
        ("FILMSTRIP_RENDITION_WIDTHS", "480,0", "filmstrip.E010"),
        ("FILMSTRIP_RENDITION_FORMATS", "webp,avif", "filmstrip.E011"),
        ("FILMSTRIP_QUALITY", "webp=0", "filmstrip.E012"),
        ("FILMSTRIP_FETCH_ALLOW_NETWORKS", "10.0.0.0/33", "filmstrip.E021"),
    ],
)
def test_filmstrip_check_names_a_value_that_cannot_be_used(tmp_path, name, value, error):
    done = run(environment(tmp_path, **{name: value}), "check")
    assert done.returncode != 0
    assert f"({error}) {name} " in done.stderr, done.stderr


def test_serve_refuses_to_start_with_a_bad_setting(tmp_path):
    env = environment(tmp_path, FILMSTRIP_QUALITY="jpeg=101")
    done = run(env, "serve", "--no-migrate", "--no-worker", "--port", str(free_port()))
    assert done.returncode != 0
    assert "(filmstrip.E012) FILMSTRIP_QUALITY needs a quality 1-100 for jpeg" in done.stderr
    assert "Filmstrip is serving" not in done.stdout


def test_environment_values_reach_the_code(tmp_path):
    env = environment(
        tmp_path,
        FILMSTRIP_RENDITION_WIDTHS="640,1280",
        FILMSTRIP_COMMENTS_BLOCKLIST="casino,pills",
        FILMSTRIP_AKISMET_KEY="k3y",
        FILMSTRIP_TRUSTED_PROXIES="10.0.0.1",
    )
    code = (
        "from filmstrip.conf import filmstrip_settings as s; "
        "print(s.RENDITION_WIDTHS, s.COMMENTS_BLOCKLIST, s.AKISMET_KEY, s.TRUSTED_PROXIES)"
    )
    done = run(env, "shell", "-v", "0", "-c", code)
    assert done.stdout.strip() == "(640, 1280) ('casino', 'pills') k3y ('10.0.0.1',)", done.stderr


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("0.0.0.0", "http://127.0.0.1:8123 127.0.0.1"),  # noqa: S104
        ("192.0.2.10", "http://192.0.2.10:8123 192.0.2.10"),
        ("::", "http://[::1]:8123 [::1]"),
    ],
)
def test_the_site_address_and_allowed_hosts_follow_host_and_port(tmp_path, host, expected):
    env = environment(tmp_path, HOST=host, PORT="8123")
    code = "from django.conf import settings as s; print(s.SITE_URL, s.ALLOWED_HOSTS[-1])"
    done = run(env, "shell", "-v", "0", "-c", code)
    assert done.stdout.strip() == expected, done.stderr


def test_reading_the_settings_creates_no_directory(tmp_path):
    data = tmp_path / "not-yet"
    env = environment(data, DJANGO_SETTINGS_MODULE="filmstrip.project.settings")
    load = (
        "from django.conf import settings; settings.INSTALLED_APPS; import django; django.setup()"
    )
    subprocess.run([sys.executable, "-c", load], env=env, cwd=REPO, check=True)
    assert run(env, "help").returncode == 0
    assert run(env, "check").returncode == 0
    assert not data.exists()
    assert run(env, "migrate", "--no-input").returncode == 0
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "secret_key").stat().st_mode) == 0o600


def test_processes_starting_together_agree_on_the_secret_key(tmp_path, monkeypatch):
    data = tmp_path / "data"
    link = os.link

    def another_process_first(source, target):
        (data / "secret_key").write_text("theirs\n")
        link(source, target)

    monkeypatch.setattr(os, "link", another_process_first)
    assert datadir.secret_key(data) == "theirs"
    monkeypatch.undo()
    assert datadir.secret_key(data) == "theirs"
    assert [path.name for path in data.iterdir()] == ["secret_key"]  # no draft left behind


def test_a_new_secret_key_is_private_and_kept(tmp_path):
    data = tmp_path / "data"
    key = datadir.secret_key(data)
    assert len(key) > 50 and datadir.secret_key(data) == key
    assert stat.S_IMODE((data / "secret_key").stat().st_mode) == 0o600
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
