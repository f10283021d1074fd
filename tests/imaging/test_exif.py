from datetime import UTC, datetime, timedelta, timezone

import pytest

from filmstrip.imaging.exif import (
    parse_exif_datetime,
    parse_iptc_datetime,
    parse_iso_datetime,
    tag_value,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Canon (Canon, ASCII, 7 components, 7 bytes)", "Canon"),
        (
            "Adobe Photoshop 23.4 (Windows) (Adobe Photoshop 23.4 (Windows), ASCII, 31 components, "
            "31 bytes)",
            "Adobe Photoshop 23.4 (Windows)",
        ),
        ("1 (Internal error (unknown value 1), Short, 1 components, 2 bytes)", "1"),
        ("71/10 (f/7.1, Rational, 1 components, 8 bytes)", "71/10"),
        ("( ((, ASCII, 2 components, 2 bytes)", "("),
        ("no suffix at all", "no suffix at all"),
        ("", ""),
    ],
)
def test_tag_value(raw, expected):
    assert tag_value(raw) == expected


@pytest.mark.parametrize(
    ("text", "offset", "expected"),
    [
        ("2022:03:31 11:31:56", "", datetime(2022, 3, 31, 11, 31, 56)),
        (
            "2022:03:31 11:31:56",
            "+02:00",
            datetime(2022, 3, 31, 11, 31, 56, tzinfo=timezone(timedelta(hours=2))),
        ),
        (
            "2022:03:31 11:31:56",
            "-0430",
            datetime(2022, 3, 31, 11, 31, 56, tzinfo=timezone(-timedelta(hours=4, minutes=30))),
        ),
        ("2022:03:31 11:31:56", "garbage", datetime(2022, 3, 31, 11, 31, 56)),
        ("0000:00:00 00:00:00", "", None),
        ("    :  :     :  :  ", "", None),
        ("", "", None),
        ("2022:13:45 99:99:99", "", None),
    ],
)
def test_parse_exif_datetime(text, offset, expected):
    assert parse_exif_datetime(text, offset) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2022-01-10T15:15:44-04:00",
            datetime(2022, 1, 10, 15, 15, 44, tzinfo=timezone(-timedelta(hours=4))),
        ),
        ("2014-04-13", datetime(2014, 4, 13)),
        ("2014-04-13T08:00:00Z", datetime(2014, 4, 13, 8, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
    ],
)
def test_parse_iso_datetime(text, expected):
    assert parse_iso_datetime(text) == expected


@pytest.mark.parametrize(
    ("date", "time", "expected"),
    [
        (
            "20140413",
            "081200+0900",
            datetime(2014, 4, 13, 8, 12, tzinfo=timezone(timedelta(hours=9))),
        ),
        ("20140413", "", datetime(2014, 4, 13)),
        ("20140413", "256100", None),
        ("2014", "", None),
    ],
)
def test_parse_iptc_datetime(date, time, expected):
    assert parse_iptc_datetime(date, time) == expected
