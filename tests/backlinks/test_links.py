"""Finding links and endpoints in HTML and headers: pure functions, tables of cases."""

import pytest
from urllib3 import HTTPHeaderDict

from filmstrip.backlinks.links import (
    endpoint,
    host_port,
    mentions,
    outbound_links,
    parse_link_header,
)

TARGET = "https://photos.example.org/pyongyang/"
SOURCE = "https://blog.example.net/2024/05/run.html"


@pytest.mark.parametrize(
    "html",
    [
        f'<p>See <a href="{TARGET}">this</a></p>',
        '<a href="https://PHOTOS.example.org:443/pyongyang/">upper case, default port</a>',
        '<base href="https://photos.example.org/"><a href="pyongyang/">relative to base</a>',
        '<a href="//photos.example.org/pyongyang/">scheme-relative</a>',
        f'<img src="{TARGET}" alt="">',
        f'<img srcset="a.jpg 1x, {TARGET} 2x" alt="">',
        f'<video poster="{TARGET}"></video>',
        f'<blockquote cite="{TARGET}">quoted</blockquote>',
        '<a href="https://photos.example.org/pyongyang/"><span>nested</span></a>',
    ],
)
def test_a_source_that_links_to_the_target_mentions_it(html):
    assert mentions(html.encode(), SOURCE, TARGET, "text/html")


@pytest.mark.parametrize(
    "html",
    [
        "<p>no links at all</p>",
        '<a href="https://photos.example.org/pyongyang/other/">a different page</a>',
        '<a href="http://photos.example.org/pyongyang/">http, not https</a>',
        '<a href="https://photos.example.org.evil.example/pyongyang/">look-alike host</a>',
        f"<!-- <a href='{TARGET}'>in a comment</a> -->",
        f"<p>{TARGET} as plain text in HTML</p>",
        f'<a data-href="{TARGET}">not a link attribute</a>',
        '<a href="pyongyang/">relative to the source, not to us</a>',
    ],
)
def test_a_source_without_the_link_does_not_mention_it(html):
    assert not mentions(html.encode(), SOURCE, TARGET, "text/html")


def test_relative_links_resolve_against_the_source_url():
    html = b'<a href="../../pyongyang/">up</a>'
    assert mentions(html, "https://photos.example.org/a/b/c", TARGET, "text/html")


def test_photo_anchors_and_unicode_slugs_match_in_any_escaping():
    target = "https://photos.example.org/café/#photo-7"
    html = b'<a href="https://photos.example.org/caf%C3%A9/#photo-7">photo</a>'
    assert mentions(html, SOURCE, target, "text/html")
    assert not mentions(html, SOURCE, "https://photos.example.org/café/#photo-8", "text/html")


def test_plain_text_and_json_name_the_url_as_it_is():
    assert mentions(f"see {TARGET}".encode(), SOURCE, TARGET, "text/plain")
    assert mentions(f'{{"url": "{TARGET}"}}'.encode(), SOURCE, TARGET, "application/json")
    assert not mentions(TARGET.encode(), SOURCE, TARGET, "image/png")


def test_outbound_links_are_other_sites_http_links_in_order_once():
    fragments = [
        '<p><a href="https://a.example/x">a</a> <a href="/local">ours</a></p>',
        '<a href="mailto:x@example.org">mail</a><a href="javascript:alert(1)">js</a>',
        '<a href="https://photos.example.org/other/">ours too</a>',
        '<a href="http://b.example/y?q=1#frag">b</a><a href="https://a.example/x">again</a>',
        '<a href="http://[bad">broken</a>',
    ]
    own = {("photos.example.org", 443), ("photos.example.org", 80)}
    assert outbound_links(fragments, own) == ["https://a.example/x", "http://b.example/y?q=1#frag"]
    # another port of the same host is another site
    assert outbound_links(['<a href="http://a.example:8080/">x</a>'], {("a.example", 80)}) == [
        "http://a.example:8080/"
    ]


def test_host_and_port_only_of_web_addresses():
    assert host_port("https://Example.org./essay/") == ("example.org", 443)
    assert host_port("example.org:8080") == ("example.org", 8080)
    assert host_port("ftp://example.org/") is None  # no default port: not a web address
    assert host_port("https:///no-host") is None


def test_link_headers_are_parsed_with_quotes_commas_and_several_rels():
    header = (
        '<https://a.example/wm?x=1,2>; rel="webmention other", '
        '<https://a.example/next>; rel=next; title="a, b; c", </relative>; rel=webmention'
    )
    assert parse_link_header(header) == [
        ("https://a.example/wm?x=1,2", {"rel": "webmention other"}),
        ("https://a.example/next", {"rel": "next", "title": "a, b; c"}),
        ("/relative", {"rel": "webmention"}),
    ]


PAGE = "https://site.example/posts/1?x=y"


def headers(**fields):
    result = HTTPHeaderDict()
    for name, values in fields.items():
        for value in values if isinstance(values, list) else [values]:
            result.add(name.replace("_", "-"), value)
    return result


@pytest.mark.parametrize(
    ("link_headers", "html", "expected"),
    [
        # The Link header, absolute or relative to the page
        (['<https://site.example/wm>; rel="webmention"'], "", "https://site.example/wm"),
        (["</wm>; rel=webmention"], "", "https://site.example/wm"),
        (['<wm.php>; rel="webmention"'], "", "https://site.example/posts/wm.php"),
        # several Link headers, several rels, the legacy rel
        (
            [
                '<https://x.example/>; rel="next"',
                '<https://site.example/wm2>; rel="other webmention"',
            ],
            "",
            "https://site.example/wm2",
        ),
        (
            ['<https://site.example/old>; rel="http://webmention.org/"'],
            "",
            "https://site.example/old",
        ),
        # a rel that merely contains the word is not it
        (['<https://site.example/no>; rel="not-webmention"'], "", None),
        # the header wins over the HTML
        (
            ['<https://site.example/header>; rel="webmention"'],
            '<link rel="webmention" href="/html">',
            "https://site.example/header",
        ),
        # in HTML: <link> or <a>, whichever comes first; query strings kept
        ([], '<link rel="webmention" href="/wm?q=1">', "https://site.example/wm?q=1"),
        (
            [],
            '<a rel="webmention" href="/a-wm">x</a><link rel="webmention" href="/l">',
            "https://site.example/a-wm",
        ),
        ([], '<link rel="stylesheet webmention" href="/multi">', "https://site.example/multi"),
        ([], '<link rel="webmention" href="">', PAGE),  # empty: the page itself
        (
            [],
            '<link rel="webmention"><link rel="webmention" href="/second">',
            "https://site.example/second",
        ),
        (
            [],
            '<!-- <link rel="webmention" href="/commented"> --><link rel="webmention" href="/real">',
            "https://site.example/real",
        ),
        ([], "<p>&lt;link rel=webmention href=/escaped&gt;</p>", None),
        ([], '<link rel="pingback" href="/xmlrpc">', None),
    ],
)
def test_webmention_endpoint_discovery(link_headers, html, expected):
    found = endpoint(PAGE, headers(Link=link_headers), html.encode(), "text/html", "webmention")
    assert found == expected


def test_pingback_endpoint_from_header_or_link_element():
    h = headers(X_Pingback="https://site.example/xmlrpc.php")
    assert endpoint(PAGE, h, b"", "text/html", "pingback") == "https://site.example/xmlrpc.php"
    html = b'<link rel="pingback" href="/xmlrpc">'
    assert endpoint(PAGE, headers(), html, "text/html", "pingback") == "https://site.example/xmlrpc"
    assert (
        endpoint(PAGE, headers(), b'<a rel="pingback" href="/x">', "text/html", "pingback") is None
    )


def test_no_html_discovery_in_other_content_types():
    html = b'<link rel="webmention" href="/wm">'
    assert endpoint(PAGE, headers(), html, "image/jpeg", "webmention") is None


def test_an_unknown_charset_is_read_as_utf8():
    text = f"see {TARGET}".encode()
    assert mentions(text, SOURCE, TARGET, "text/plain", charset="no-such-charset")
    assert mentions(f'<a href="{TARGET}">x</a>'.encode(), SOURCE, TARGET, "text/html", "bogus")
