"""The FILMSTRIP_S3_* variables: nothing set is local disk, half set stops start-up."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from filmstrip.storage.config import REQUIRED, VARIABLES, from_environ, storage_setting

DOCS = Path(__file__).resolve().parents[2] / "docs"
FULL = {
    "FILMSTRIP_S3_ENDPOINT": "https://s3.example.net/",
    "FILMSTRIP_S3_ACCESS_KEY": "AKEY",
    "FILMSTRIP_S3_SECRET_KEY": "s3cr3t",
    "FILMSTRIP_S3_BUCKET_ORIGINALS": "originals",
    "FILMSTRIP_S3_BUCKET_PUBLIC": "public",
}


def test_no_variable_means_local_disk():
    assert from_environ({}) is None
    assert from_environ({"FILMSTRIP_S3_REGION": " "}) is None  # blank is unset


@pytest.mark.parametrize("missing", REQUIRED)
def test_half_a_configuration_names_what_is_missing(missing):
    given = {name: value for name, value in FULL.items() if name != missing}
    with pytest.raises(ImproperlyConfigured, match=rf"half configured: {missing} is not set"):
        from_environ(given)


def test_a_lone_variable_names_every_missing_one():
    with pytest.raises(ImproperlyConfigured) as raised:
        from_environ({"FILMSTRIP_S3_PUBLIC_URL": "https://cdn.example.net"})
    assert all(name in str(raised.value) for name in REQUIRED)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("FILMSTRIP_S3_ENDPOINT", "s3.example.net"),
        ("FILMSTRIP_S3_ENDPOINT", "ftp://s3.example.net"),
        ("FILMSTRIP_S3_PUBLIC_URL", "//cdn.example.net"),
        ("FILMSTRIP_S3_PUBLIC_URL", "https://cdn.example.net/?v=1"),
    ],
)
def test_a_url_that_is_not_one_is_named(name, value):
    with pytest.raises(ImproperlyConfigured, match=name):
        from_environ({**FULL, name: value})


def test_originals_may_not_share_the_public_bucket():
    with pytest.raises(ImproperlyConfigured, match="same bucket"):
        from_environ({**FULL, "FILMSTRIP_S3_BUCKET_PUBLIC": "originals"})


def test_renditions_are_linked_in_the_bucket_or_behind_the_cdn():
    config = from_environ(FULL)
    assert config.region == "us-east-1"
    assert config.media_url == "https://s3.example.net/public/media/"
    cdn = from_environ({**FULL, "FILMSTRIP_S3_PUBLIC_URL": "https://cdn.example.net/photos/"})
    assert cdn.media_url == "https://cdn.example.net/photos/media/"
    public = storage_setting(cdn)["OPTIONS"]["public"]
    assert (public["url_protocol"], public["custom_domain"]) == ("https:", "cdn.example.net/photos")


def test_the_secret_stays_out_of_reprs():
    assert "s3cr3t" not in repr(from_environ(FULL))


def test_every_variable_is_documented():
    settings_md = (DOCS / "settings.md").read_text()
    deployment_md = (DOCS / "deployment.md").read_text()
    for name in VARIABLES:
        assert f"`{name}`" in settings_md, f"{name} is missing from docs/settings.md"
        assert name in deployment_md, f"{name} is missing from docs/deployment.md"
    documented = set(re.findall(r"FILMSTRIP_S3_[A-Z_]+", settings_md + deployment_md))
    assert documented <= set(VARIABLES), documented - set(VARIABLES)
