"""Settings from the environment: typed, and a bad value names its variable."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from filmstrip.conf import DEFAULTS, from_environ
from filmstrip.project import environment
from tests.conftest import REPO


@pytest.mark.parametrize(
    ("environ", "url"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8080"}, "http://127.0.0.1:8080"),
        ({"HOST": "localhost", "PORT": "9000"}, "http://localhost:9000"),
        ({"HOST": "0.0.0.0", "PORT": "8080"}, "http://127.0.0.1:8080"),  # noqa: S104
        ({"HOST": "::", "PORT": "8080"}, "http://[::1]:8080"),
        ({"HOST": "[::1]"}, "http://[::1]:8000"),
        ({"HOST": "192.168.1.20", "PORT": "80"}, "http://192.168.1.20"),
        ({"HOST": "", "PORT": ""}, "http://127.0.0.1:8000"),
        (
            {"FILMSTRIP_SITE_URL": "https://photos.example.org/", "PORT": "8080"},
            "https://photos.example.org",
        ),
    ],
)
def test_the_site_url_follows_where_the_server_listens(environ, url):
    assert environment.site_url(environ) == url


@pytest.mark.parametrize("port", ["eighty", "0", "65536", "-1"])
def test_a_bad_port_names_the_variable(port):
    with pytest.raises(ImproperlyConfigured, match=r"^PORT "):
        environment.site_url({"PORT": port})


def test_settings_come_typed_from_the_environment():
    values = from_environ(
        {
            "FILMSTRIP_RENDITION_WIDTHS": "640, 1_280,1920",
            "FILMSTRIP_RENDITION_FORMATS": "jpeg",
            "FILMSTRIP_QUALITY": "webp=80",
            "FILMSTRIP_COMMENTS_HOLD_FIRST": "no",
            "FILMSTRIP_COMMENTS_CLOSE_AFTER_DAYS": "none",
            "FILMSTRIP_BACKLINKS_PER_IP_PER_10_MINUTES": "12",
            "FILMSTRIP_COMMENTS_BLOCKLIST": "casino, pills",
            "FILMSTRIP_FETCH_ALLOW_NETWORKS": "10.20.0.0/16,fd00::/8",
            "FILMSTRIP_MAX_UPLOAD_BYTES": "52428800",
            "FILMSTRIP_SITE_TITLE": "Harbour, at dusk",
            "FILMSTRIP_PUBLISHED_DIR": "relative/published",
            "FILMSTRIP_AKISMET_KEY": "",  # empty counts as unset
            "UNRELATED": "x",
        }
    )
    assert values == {
        "FILMSTRIP_RENDITION_WIDTHS": (640, 1280, 1920),
        "FILMSTRIP_RENDITION_FORMATS": ("jpeg",),
        "FILMSTRIP_QUALITY": {"jpeg": 82, "webp": 80},
        "FILMSTRIP_COMMENTS_HOLD_FIRST": False,
        "FILMSTRIP_COMMENTS_CLOSE_AFTER_DAYS": None,
        "FILMSTRIP_BACKLINKS_PER_IP_PER_10_MINUTES": 12,
        "FILMSTRIP_COMMENTS_BLOCKLIST": ("casino", "pills"),
        "FILMSTRIP_FETCH_ALLOW_NETWORKS": ("10.20.0.0/16", "fd00::/8"),
        "FILMSTRIP_MAX_UPLOAD_BYTES": 52428800,
        "FILMSTRIP_SITE_TITLE": "Harbour, at dusk",
        "FILMSTRIP_PUBLISHED_DIR": Path("relative/published").resolve(),
    }


def test_every_setting_can_be_read_from_its_default_written_as_text():
    """Each setting has a way from text; none falls through to raw text by mistake."""
    for name, setting in DEFAULTS.items():
        default = setting.default
        if isinstance(default, bool | int) or setting.parse is not None:
            continue
        assert isinstance(default, str), f"{name} needs a parse for {default!r}"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("FILMSTRIP_COMMENTS_MAX_DEPTH", "deep", "must be a whole number"),
        ("FILMSTRIP_COMMENTS_HOLD_FIRST", "perhaps", "must be true or false"),
        ("FILMSTRIP_RENDITION_WIDTHS", "480,wide", "must be whole numbers separated by commas"),
        ("FILMSTRIP_QUALITY", "webp:80", "must be format=quality pairs"),
        ("FILMSTRIP_QUALITY", "webp=high", "must be a whole number"),
        ("FILMSTRIP_COMMENTS_CLOSE_AFTER_DAYS", "never", "must be a whole number or none"),
    ],
)
def test_a_bad_environment_value_names_its_variable(name, value, message):
    with pytest.raises(ImproperlyConfigured) as caught:
        from_environ({name: value})
    assert str(caught.value).startswith(f"{name} {message}")
    assert str(caught.value).endswith(f"(got {value!r}).")


def test_the_docs_say_which_settings_are_the_authors():
    rows = {
        line.split("`")[1]: line
        for line in (REPO / "docs/settings.md").read_text().splitlines()
        if line.startswith("| `FILMSTRIP_")
    }
    for name, setting in DEFAULTS.items():
        marked = "*Author's.*" in rows[name]
        assert marked == setting.author, f"{name}: mark it *Author's.* in docs/settings.md or not"
