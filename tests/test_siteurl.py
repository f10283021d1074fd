"""Absolute addresses come from one helper, so that they all follow SITE_URL alike."""

import re

from filmstrip.siteurl import absolute
from tests.conftest import REPO

# SITE_URL written in front of something, by hand: f"{...SITE_URL}{path}" or SITE_URL + path.
_BY_HAND = re.compile(r"SITE_URL\}\{|SITE_URL\s*\+")


def test_absolute_puts_the_site_address_in_front_of_a_path(settings):
    settings.SITE_URL = "https://photos.example.org"
    assert absolute("/walks/#licence") == "https://photos.example.org/walks/#licence"


def test_no_module_builds_an_absolute_address_by_hand():
    found = [
        f"{path.relative_to(REPO)}:{number}"
        for path in sorted((REPO / "src" / "filmstrip").rglob("*.py"))
        if path.name != "siteurl.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if _BY_HAND.search(line)
    ]
    assert not found, f"use filmstrip.siteurl.absolute: {found}"
