"""Start-up checks of the FILMSTRIP_* settings: each bad value is an error naming the setting."""

import pytest
from django.core import checks as django_checks

from filmstrip import checks


def problems() -> list[tuple[str, str]]:
    return [(p.id, p.msg) for p in django_checks.run_checks() if p.id.startswith("filmstrip.")]


def test_the_defaults_pass():
    assert problems() == []


def test_this_machine_writes_and_reads_every_format_filmstrip_uses():
    assert checks._can_write("jpeg") and checks._can_write("webp")
    assert not checks._can_write("nosuchformat")
    assert checks._can_read("VipsForeignLoadJpegFile")
    assert not checks._can_read("VipsForeignLoadNoSuchFile")


@pytest.mark.parametrize(
    ("name", "value", "error"),
    [
        ("FILMSTRIP_RENDITION_WIDTHS", (480, 0), "filmstrip.E010"),
        ("FILMSTRIP_RENDITION_WIDTHS", (), "filmstrip.E010"),
        ("FILMSTRIP_RENDITION_WIDTHS", 960, "filmstrip.E010"),
        ("FILMSTRIP_RENDITION_WIDTHS", ("960",), "filmstrip.E010"),
        ("FILMSTRIP_RENDITION_FORMATS", ("webp", "gif"), "filmstrip.E011"),
        ("FILMSTRIP_RENDITION_FORMATS", "webp", "filmstrip.E011"),
        ("FILMSTRIP_QUALITY", {"jpeg": 82, "webp": 101}, "filmstrip.E012"),
        ("FILMSTRIP_QUALITY", {"jpeg": 82}, "filmstrip.E012"),
        ("FILMSTRIP_QUALITY", 85, "filmstrip.E012"),
        ("FILMSTRIP_TRUSTED_PROXIES", ("10.0.0.0/33",), "filmstrip.E021"),
        ("FILMSTRIP_TRUSTED_PROXIES", "127.0.0.1", "filmstrip.E020"),
        ("FILMSTRIP_FETCH_ALLOW_NETWORKS", ("intranet",), "filmstrip.E021"),
        ("FILMSTRIP_COMMENTS_MAX_DEPTH", -1, "filmstrip.E002"),
        ("FILMSTRIP_MAX_PIXELS", 0, "filmstrip.E002"),
        ("FILMSTRIP_FETCH_MAX_BYTES", "1MB", "filmstrip.E002"),
        ("FILMSTRIP_COMMENTS_CLOSE_AFTER_DAYS", "30", "filmstrip.E002"),
        ("FILMSTRIP_COMMENTS_HOLD_FIRST", "false", "filmstrip.E001"),
        ("FILMSTRIP_SITE_TITLE", None, "filmstrip.E003"),
        ("FILMSTRIP_COMMENTS_BLOCKLIST", "casino", "filmstrip.E004"),
    ],
)
def test_a_bad_value_is_an_error_naming_the_setting(settings, name, value, error):
    setattr(settings, name, value)
    found = problems()
    assert [id_ for id_, _ in found] == [error], found
    assert found[0][1].startswith(f"{name} ")


def test_behind_an_https_proxy_some_proxy_must_be_trusted(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.FILMSTRIP_TRUSTED_PROXIES = ["127.0.0.1"]
    assert problems() == []
    settings.FILMSTRIP_TRUSTED_PROXIES = []
    [(found, message)] = problems()
    assert found == "filmstrip.E022" and "redirected" in message


def test_none_is_allowed_where_it_means_no_limit(settings):
    settings.FILMSTRIP_COMMENTS_CLOSE_AFTER_DAYS = None
    settings.FILMSTRIP_BACKLINKS_PER_IP_PER_10_MINUTES = None
    settings.FILMSTRIP_RENDITION_FORMATS = ("jpeg",)
    settings.FILMSTRIP_QUALITY = {"jpeg": 100}
    assert problems() == []


def test_a_format_libvips_cannot_write_stops_start_up(monkeypatch):
    monkeypatch.setattr(checks, "_can_write", lambda fmt: fmt != "webp")
    found = problems()
    assert [id_ for id_, _ in found] == ["filmstrip.E030"]
    assert "cannot write webp" in found[0][1] and "FILMSTRIP_RENDITION_FORMATS" in found[0][1]


def test_a_format_libvips_cannot_read_is_a_warning(monkeypatch):
    monkeypatch.setattr(checks, "_can_read", lambda loader: "Heif" not in loader)
    found = problems()
    assert found == [("filmstrip.W031", found[0][1])] and "cannot read heif" in found[0][1]
