"""Every form of an old link is written down as one key (filmstrip.legacy.paths)."""

import pytest

from filmstrip.legacy.paths import key, path_key

SAME_PLACE = [
    # (as a link or the old site wrote it, its key)
    ("https://example.com/2014/04/28/pyongyang/", "/2014/04/28/pyongyang"),
    ("http://example.com/2014/04/28/Pyongyang", "/2014/04/28/pyongyang"),
    ("/2014/04/pyongyang/", "/2014/04/pyongyang"),
    ("/pyongyang/", "/pyongyang"),
    ("/%e6%97%a5%e6%9c%ac/", "/日本"),
    ("/2014/04/28/pyongyang/?replytocom=5#respond", "/2014/04/28/pyongyang"),
    ("/archives/12", "/?p=12"),
    ("https://example.com/?p=12", "/?p=12"),
    ("https://example.com/?page_id=12", "/?p=12"),
    ("/?attachment_id=12&foo=1", "/?p=12"),
    ("/index.php?p=12", "/?p=12"),
    ("https://example.com/wp-content/uploads/2014/04/run.jpg", "/wp-content/uploads/2014/04/run.jpg"),
    ("/wp-content/uploads/2014/04/run-1024x683.jpg", "/wp-content/uploads/2014/04/run.jpg"),
    ("/wp-content/uploads/2014/04/run-scaled.jpg", "/wp-content/uploads/2014/04/run.jpg"),
    ("/wp-content/uploads/2014/04/run-e1400000000000.jpg", "/wp-content/uploads/2014/04/run.jpg"),
    ("/wp-content/uploads/sites/3/2014/04/run.jpg", "/wp-content/uploads/2014/04/run.jpg"),
    ("/files/2014/04/run.jpg", "/wp-content/uploads/2014/04/run.jpg"),
    ("https://ann.files.wordpress.com/2014/04/run.jpg?w=1024", "/wp-content/uploads/2014/04/run.jpg"),
    ("https://i0.wp.com/example.com/wp-content/uploads/2014/04/run.jpg?w=600", "/wp-content/uploads/2014/04/run.jpg"),
    ("/2014/04/run.JPG", "/wp-content/uploads/2014/04/run.jpg"),
    # A permalink ending in .html is a page, not an upload.
    ("/2014/04/pyongyang.html", "/2014/04/pyongyang.html"),
    ("/category/travel/", "/category/travel"),
]  # fmt: skip

NO_PAGE_OF_ITS_OWN = ["", "/", "https://example.com/", "/?s=marathon", "/?p=abc", "mailto:a@b.c",
                      "/" + "x" * 600]  # fmt: skip


@pytest.mark.parametrize(("address", "expected"), SAME_PLACE)
def test_each_form_of_a_link_is_one_key(address, expected):
    assert key(address) == expected


@pytest.mark.parametrize("address", NO_PAGE_OF_ITS_OWN)
def test_an_address_without_a_page_of_its_own_has_no_key(address):
    assert key(address) is None


def test_a_request_is_keyed_as_a_link_is():
    assert path_key("/2014/04/28/pyongyang/") == key("https://example.com/2014/04/28/pyongyang/")
    assert path_key("/", "page_id=7") == key("/?p=7")
    assert path_key("/", "utm_source=x") is None
    # A request's path comes decoded: a % in it is a %, not the start of an escape.
    assert path_key("/100%25-cotton/") == "/100%25-cotton"
    assert path_key("/日本/") == key("/%E6%97%A5%E6%9C%AC/")
