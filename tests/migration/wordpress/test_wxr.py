"""The WXR reader: each construct an export may hold, written out here as a small file."""

import io
import json
import tracemalloc
import zipfile
from collections import Counter
from datetime import UTC, datetime

import pytest

from filmstrip.migration.wordpress import xmlbytes
from filmstrip.migration.wordpress.records import Author, Term
from filmstrip.migration.wordpress.wxr import WxrError, iter_items, read_site
from tests.conftest import CORPUS

WP12 = "http://wordpress.org/export/1.2/"


def wxr(body: str = "", *, version: str | None = "1.2", ns: str = WP12, head: str = "") -> str:
    """A whole export around ``body`` (channel children: authors, items…)."""
    excerpt = ns + "excerpt/"
    version_tag = f"<wp:wxr_version>{version}</wp:wxr_version>" if version is not None else ""
    return f"""{head}<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="{excerpt}" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="{ns}">
<channel>
<title>Light and Shade</title>
<link>https://Photos.Example.org/</link>
<language>en-GB</language>
{version_tag}
<wp:base_site_url>https://example.org/</wp:base_site_url>
<wp:base_blog_url>https://photos.example.org/</wp:base_blog_url>
{body}
</channel>
</rss>
"""


def item(fields: str = "", *, post_id: int | str = 1) -> str:
    return f"<item><wp:post_id>{post_id}</wp:post_id>{fields}</item>"


@pytest.fixture
def write(tmp_path):
    def write(text: str | bytes, name: str = "export.xml"):
        path = tmp_path / name
        path.write_bytes(text.encode() if isinstance(text, str) else text)
        return path

    return write


def items_of(write, body: str, **kwargs):
    return list(iter_items(write(wxr(body, **kwargs))))


def refusal(write, text: str | bytes) -> str:
    path = write(text)
    with pytest.raises(WxrError) as raised:
        list(iter_items(path))
    with pytest.raises(WxrError):
        read_site(path)
    assert str(raised.value).startswith(str(path))  # the message names the file
    return str(raised.value)


# The channel


def test_site_channel_and_authors(write):
    authors = """
<wp:author><wp:author_id>2</wp:author_id><wp:author_login><![CDATA[ada
]]></wp:author_login><wp:author_email>ada@example.org</wp:author_email>
<wp:author_display_name><![CDATA[Ada L.]]></wp:author_display_name>
<wp:author_first_name><![CDATA[Ada]]></wp:author_first_name>
<wp:author_last_name><![CDATA[Lovelace]]></wp:author_last_name></wp:author>
<wp:author><wp:author_login>bo</wp:author_login></wp:author>
<wp:author><wp:author_email>nobody@example.org</wp:author_email></wp:author>
<wp:category><wp:term_id>1</wp:term_id><wp:cat_name>Travel</wp:cat_name></wp:category>
"""
    site = read_site(write(wxr(authors + item("<title>Hi</title>"))))
    assert (site.title, site.link, site.language, site.wxr_version) == (
        "Light and Shade",
        "https://Photos.Example.org/",
        "en-GB",
        "1.2",
    )
    assert site.base_site_url == "https://example.org/"
    assert site.key == "photos.example.org"
    assert site.authors == [
        Author("ada", "Ada L.", "ada@example.org", "Ada", "Lovelace", id=2),
        Author("bo"),
    ]


def test_read_site_stops_at_the_first_item(write):
    """The site is read without reading the posts: a break after the first item is no
    concern of read_site, and iter_items reports it."""
    path = write(wxr(item() + "<item><title>cut short").split("</channel>")[0])
    assert read_site(path).title == "Light and Shade"
    with pytest.raises(WxrError, match="broken XML"):
        list(iter_items(path))


def test_an_export_without_items_has_a_site(write):
    path = write(wxr())
    assert read_site(path).wxr_version == "1.2"
    assert list(iter_items(path)) == []


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
@pytest.mark.parametrize("scheme", ["http", "https"])  # WordPress.com writes https
def test_versions_and_namespaces(write, version, scheme):
    ns = f"{scheme}://wordpress.org/export/{version}/"
    body = item(
        "<wp:post_type>page</wp:post_type><content:encoded>Body</content:encoded>"
        "<excerpt:encoded>Short</excerpt:encoded><dc:creator>ada</dc:creator>"
    )
    path = write(wxr(body, version=version, ns=ns))
    assert read_site(path).wxr_version == version
    [page] = iter_items(path)
    assert (page.id, page.type, page.content, page.excerpt, page.creator) == (
        1,
        "page",
        "Body",
        "Short",
        "ada",
    )


# Files that are refused, each with a message that says why


@pytest.mark.parametrize("version", ["1.3", "abc", "2.0"])
def test_unknown_version_is_refused(write, version):
    message = refusal(write, wxr(item(), version=version))
    assert f"WXR version {version!r}" in message
    assert "1.0, 1.1, 1.2" in message


def test_no_version_is_refused(write):
    assert "no WXR version" in refusal(write, wxr(item(), version=None))


def test_a_version_in_a_foreign_namespace_does_not_count(write):
    assert "no WXR version" in refusal(write, wxr(item(), ns="http://example.org/export/1.2/"))


def test_nothing_is_yielded_before_the_version_is_known(write):
    items = iter_items(write(wxr(item(), version="9.9")))
    with pytest.raises(WxrError):
        next(items)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "no element found"),
        ("Just some notes, not XML at all.\n", "line 1, column 1: broken XML"),
        ('{"posts": []}', "broken XML"),
        (wxr().replace("</title>", "</titel>"), "line 6, column 25: broken XML: mismatched tag"),
        (wxr().replace("Light", "&nbsp;Light"), "line 6, column 8: broken XML: undefined entity"),
        (wxr(item()).encode("utf-8").replace(b"Light", b"Li\xffht"), "line 6, column"),
    ],
)
def test_broken_xml_is_refused_with_its_line(write, text, expected):
    message = refusal(write, text)
    assert expected in message
    assert "export it again" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<html><body><p>Hello</p></body></html>", "it is <html>, not RSS"),
        ('<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>', "<feed>, not RSS"),
        ('<rss version="2.0"></rss>', "has no <channel>"),
        ('<rss version="2.0"><notachannel><item/></notachannel></rss>', "<notachannel> where"),
        ('<rss version="2.0"><channel/><channel/></rss>', "<channel> where"),
        ('<rss version="2.0"><channel><title>A feed</title></channel></rss>', "no WXR version"),
    ],
)
def test_not_a_wordpress_export_is_refused(write, text, expected):
    message = refusal(write, text)
    assert "not a WordPress export" in message
    assert expected in message


BOMB = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
]>
<rss version="2.0"><channel><title>&lol2;</title></channel></rss>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&secret;</title></channel></rss>"""
PLAIN_DTD = """<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "http://example.org/rss.dtd">
<rss version="2.0"><channel/></rss>"""


@pytest.mark.parametrize("text", [BOMB, EXTERNAL, PLAIN_DTD], ids=["bomb", "external", "dtd"])
def test_dtds_entities_and_bombs_are_refused(write, text):
    message = refusal(write, text)
    assert "line 2: refused: the file declares a DTD" in message
    assert "entity bombs" in message


def test_a_file_that_cannot_be_opened(tmp_path):
    with pytest.raises(WxrError, match="cannot be opened"):
        read_site(tmp_path / "missing.xml")


# Posts and their fields


def test_item_fields(write):
    body = item(
        """
<title>  Morning, Ullswater </title>
<link>https://photos.example.org/2014/04/28/morning/</link>
<guid isPermaLink="false">https://photos.example.org/?p=1</guid>
<dc:creator><![CDATA[ada]]></dc:creator>
<content:encoded><![CDATA[<p>Mist.</p>]]></content:encoded>
<excerpt:encoded><![CDATA[Mist on the lake]]></excerpt:encoded>
<wp:post_date><![CDATA[2014-04-28 07:30:00]]></wp:post_date>
<wp:post_date_gmt><![CDATA[2014-04-28 06:30:00]]></wp:post_date_gmt>
<wp:post_modified>2014-05-01 10:00:00</wp:post_modified>
<wp:post_modified_gmt>2014-05-01 09:00:00</wp:post_modified_gmt>
<wp:comment_status>closed</wp:comment_status><wp:ping_status>closed</wp:ping_status>
<wp:post_name><![CDATA[morning]]></wp:post_name><wp:status>future</wp:status>
<wp:post_parent>7</wp:post_parent><wp:menu_order>3</wp:menu_order>
<wp:post_type>post</wp:post_type><wp:post_password>s3cret</wp:post_password>
<wp:is_sticky>1</wp:is_sticky>""",
        post_id=42,
    )
    [post] = items_of(write, body)
    assert (post.id, post.title, post.slug, post.status, post.type) == (
        42,
        "Morning, Ullswater",
        "morning",
        "future",
        "post",
    )
    assert post.link == "https://photos.example.org/2014/04/28/morning/"
    assert post.guid == "https://photos.example.org/?p=1"
    assert (post.creator, post.content, post.excerpt) == ("ada", "<p>Mist.</p>", "Mist on the lake")
    assert post.date == datetime(2014, 4, 28, 7, 30)  # the site's own clock, as written
    assert post.date.tzinfo is None
    assert post.date_gmt == datetime(2014, 4, 28, 6, 30, tzinfo=UTC)
    assert post.modified_gmt == datetime(2014, 5, 1, 9, 0, tzinfo=UTC)
    assert (post.comment_status, post.ping_status, post.password) == ("closed", "closed", "s3cret")
    assert (post.parent, post.menu_order) == (7, 3)


def test_attachment(write):
    body = item(
        "<title>Ridge</title><wp:post_type>attachment</wp:post_type>"
        "<wp:status>inherit</wp:status><wp:post_parent>1</wp:post_parent>"
        "<excerpt:encoded>On the ridge</excerpt:encoded>"
        "<wp:attachment_url>https://photos.example.org/wp-content/uploads/2014/04/ridge.jpg"
        "</wp:attachment_url>"
        "<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key>"
        "<wp:meta_value><![CDATA[2014/04/ridge.jpg]]></wp:meta_value></wp:postmeta>"
        "<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
        "<wp:meta_value><![CDATA[A grass ridge at dusk]]></wp:meta_value></wp:postmeta>",
        post_id=12,
    )
    [attachment] = items_of(write, body)
    assert (attachment.type, attachment.status, attachment.parent) == ("attachment", "inherit", 1)
    assert attachment.attachment_url.endswith("/2014/04/ridge.jpg")
    assert attachment.meta_value("_wp_attached_file") == "2014/04/ridge.jpg"
    assert attachment.meta_value("_wp_attachment_image_alt") == "A grass ridge at dusk"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("0000-00-00 00:00:00", None),  # what WordPress writes for a draft never published
        ("", None),
        ("not a date", None),
        ("2014-02-30 10:00:00", None),
        ("2014-04-28 06:30:00", datetime(2014, 4, 28, 6, 30, tzinfo=UTC)),
        ("2014-04-28T06:30:00+02:00", datetime(2014, 4, 28, 4, 30, tzinfo=UTC)),
    ],
)
def test_gmt_dates(write, written, expected):
    [post] = items_of(write, item(f"<wp:post_date_gmt>{written}</wp:post_date_gmt>"))
    assert post.date_gmt == expected


def test_missing_fields_take_wordpress_defaults(write):
    """A post with no title, slug or dates; WordPress itself makes a post with no status a
    draft and one with no type a post."""
    [post] = items_of(write, item())
    assert (post.title, post.slug, post.content, post.excerpt) == ("", "", "", "")
    assert (post.type, post.status) == ("post", "draft")
    assert (post.date, post.date_gmt, post.modified_gmt) == (None, None, None)
    assert (post.parent, post.terms, post.meta, post.comments) == (0, [], {}, [])


@pytest.mark.parametrize("written", ["", "abc", " 7 "])
def test_post_ids(write, written):
    [post] = items_of(write, f"<item><wp:post_id>{written}</wp:post_id></item>")
    assert post.id == (7 if written.strip() == "7" else 0)


def test_duplicate_ids_are_both_yielded(write):
    body = item("<title>First</title>", post_id=5) + item("<title>Second</title>", post_id=5)
    assert [(p.id, p.title) for p in items_of(write, body)] == [(5, "First"), (5, "Second")]


def test_a_repeated_field_counts_once(write):
    body = "<item><wp:post_id>3</wp:post_id><wp:post_id>999</wp:post_id><title>A</title></item>"
    [post] = items_of(write, body)
    assert post.id == 3


def test_a_prefix_rebound_to_a_strangers_namespace_does_not_count(write):
    body = (
        '<item xmlns:wp="http://example.com/hijack/"><title>Hijacked</title>'
        "<wp:post_id>5</wp:post_id><wp:status>publish</wp:status></item>"
        "<item><wp:post_id>6</wp:post_id>"
        '<wp:postmeta xmlns:wp="http://example.com/evil/"><wp:meta_key>k</wp:meta_key>'
        "<wp:meta_value>v</wp:meta_value></wp:postmeta>"
        '<post_id xmlns="http://wordpress.org/export/1.2/">66</post_id></item>'
    )
    hijacked, other = items_of(write, body)
    assert (hijacked.id, hijacked.status) == (0, "draft")
    assert (other.id, other.meta) == (6, {})


# Terms, meta and comments


def test_terms(write):
    body = item(
        '<category domain="category" nicename="lake-district"><![CDATA[Lake District]]></category>'
        "<category><![CDATA[Lake District]]></category>"  # WXR 1.0 wrote each term twice
        '<category domain="post_tag" nicename="mist"><![CDATA[Mist]]></category>'
        '<category domain="post_tag" nicename="mist"><![CDATA[Mist]]></category>'
        '<category domain="tag"><![CDATA[Black & White]]></category>'  # WXR 1.0's tags
        '<category domain="post_format" nicename="post-format-gallery">Gallery</category>'
    )
    [post] = items_of(write, body)
    assert post.terms == [
        Term("category", "lake-district", "Lake District"),
        Term("post_tag", "mist", "Mist"),
        Term("post_tag", "black-white", "Black & White"),
        Term("post_format", "post-format-gallery", "Gallery"),
    ]
    assert [t.name for t in post.tags] == ["Lake District", "Mist", "Black & White"]


SERIALIZED = 'a:2:{s:5:"width";i:1024;s:4:"file";s:17:"2014/04/ridge.jpg";}'


def test_postmeta_keeps_repeats_and_raw_serialized_values(write):
    meta = "".join(
        f"<wp:postmeta><wp:meta_key>{k}</wp:meta_key><wp:meta_value>{v}</wp:meta_value>"
        "</wp:postmeta>"
        for k, v in [
            ("_wp_old_slug", "first-slug"),
            ("_wp_old_slug", "second-slug"),
            ("_wp_attachment_metadata", f"<![CDATA[{SERIALIZED}]]>"),
            ("no_cdata", SERIALIZED.replace('"', "&quot;")),
            ("padded", "<![CDATA[  kept  ]]>"),
        ]
    )
    [post] = items_of(write, item(meta))
    assert post.old_slugs == ["first-slug", "second-slug"]
    assert post.meta_value("_wp_attachment_metadata") == SERIALIZED
    assert post.meta_value("no_cdata") == SERIALIZED
    assert post.meta_value("padded") == "  kept  "


def comment(cid: int, fields: str) -> str:
    return f"<wp:comment><wp:comment_id>{cid}</wp:comment_id>{fields}</wp:comment>"


def test_comments(write):
    body = item(
        comment(
            10,
            "<wp:comment_author><![CDATA[Bea]]></wp:comment_author>"
            "<wp:comment_author_email>bea@example.org</wp:comment_author_email>"
            "<wp:comment_author_url>https://bea.example.org/</wp:comment_author_url>"
            "<wp:comment_author_IP>192.0.2.7</wp:comment_author_IP>"
            "<wp:comment_date>2014-04-29 09:00:00</wp:comment_date>"
            "<wp:comment_date_gmt>2014-04-29 08:00:00</wp:comment_date_gmt>"
            "<wp:comment_content><![CDATA[Lovely light.\n\nWhich lens?]]></wp:comment_content>"
            "<wp:comment_approved>1</wp:comment_approved><wp:comment_type></wp:comment_type>"
            "<wp:comment_parent>0</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id>"
            "<wp:commentmeta><wp:meta_key>akismet_result</wp:meta_key>"
            "<wp:meta_value><![CDATA[false]]></wp:meta_value></wp:commentmeta>"
            "<wp:commentmeta><wp:meta_key>akismet_history</wp:meta_key>"
            f"<wp:meta_value><![CDATA[{SERIALIZED}]]></wp:meta_value></wp:commentmeta>",
        )
        + comment(
            11,
            "<wp:comment_parent>10</wp:comment_parent><wp:comment_user_id>2"
            "</wp:comment_user_id><wp:comment_approved>0</wp:comment_approved>",
        )
        + comment(
            12,
            "<wp:comment_type>pingback</wp:comment_type>"
            "<wp:comment_approved>1</wp:comment_approved>"
            "<wp:comment_date_gmt>0000-00-00 00:00:00</wp:comment_date_gmt>",
        )
        + comment(
            13,
            "<wp:comment_type>trackback</wp:comment_type>"
            "<wp:comment_approved>spam</wp:comment_approved>",
        )
        + comment(14, "<wp:comment_approved>trash</wp:comment_approved>")
        + comment(15, "<wp:comment_approved>post-trashed</wp:comment_approved>")
        + comment(16, "")  # a hand-made file may say nothing: a person should look
    )
    [post] = items_of(write, body)
    first, reply, pingback, trackback, *rest = post.comments
    assert (first.id, first.author, first.email, first.url, first.ip) == (
        10,
        "Bea",
        "bea@example.org",
        "https://bea.example.org/",
        "192.0.2.7",
    )
    assert first.date_gmt == datetime(2014, 4, 29, 8, 0, tzinfo=UTC)
    assert first.content == "Lovely light.\n\nWhich lens?"
    assert (first.approved, first.type, first.parent, first.user_id) == ("1", "comment", 0, 0)
    assert first.meta == {"akismet_result": "false", "akismet_history": SERIALIZED}
    assert (reply.parent, reply.user_id, reply.approved) == (10, 2, "0")
    assert (pingback.type, pingback.approved, pingback.date_gmt) == ("pingback", "1", None)
    assert (trackback.type, trackback.approved) == ("trackback", "spam")
    assert [c.approved for c in rest] == ["trash", "post-trashed", "0"]


# Text as written: CDATA, escapes and encodings


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("<![CDATA[<p>a &amp; b</p>]]>", "<p>a &amp; b</p>"),
        ("&lt;p&gt;a &amp;amp; b&lt;/p&gt;", "<p>a &amp; b</p>"),  # escaped, not CDATA
        ("<![CDATA[ends with ]]]]><![CDATA[> inside]]>", "ends with ]]> inside"),
        ("<![CDATA[one]]><![CDATA[two]]>", "onetwo"),
        ("\n<![CDATA[kept]]>\n", "\nkept\n"),
        ("<![CDATA[first\n\nsecond]]>", "first\n\nsecond"),
        ("<![CDATA[C:\\xampp\\htdocs \\' \\\\]]>", "C:\\xampp\\htdocs \\' \\\\"),
        ("<![CDATA[&lol1;&lol1;]]>", "&lol1;&lol1;"),  # CDATA is text, not entities
        ("<![CDATA[]]>", ""),
    ],
)
def test_content_as_written(write, written, expected):
    [post] = items_of(write, item(f"<content:encoded>{written}</content:encoded>"))
    assert post.content == expected


UTF8 = "Ünïcödé – “quotes” 日本語 עברית 😀 e\u0301 \u200b"


def test_utf8_text(write):
    body = item(f"<title>{UTF8}</title><content:encoded><![CDATA[{UTF8}]]></content:encoded>")
    [post] = items_of(write, body)
    assert (post.title, post.content) == (UTF8.strip(), UTF8)


def test_other_encodings_declared_in_the_file(write):
    text = wxr(item("<title>Café</title>")).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    [post] = iter_items(write(text.encode("iso-8859-1")))
    assert post.title == "Café"


@pytest.mark.parametrize(
    ("charset", "title"),
    [
        ("GBK", "摄影日记"),
        ("Big5", "攝影日記"),
        ("Shift_JIS", "写真日記"),
        ("EUC-KR", "사진 일기"),
        ("windows-1251", "Фотографии"),
    ],
)
def test_charsets_expat_cannot_read_itself(write, charset, title):
    """WordPress declares the blog's own charset; old sites' multi-byte ones are read too."""
    body = item(
        f"<title>{title}</title><content:encoded><![CDATA[{title * 40000}]]></content:encoded>"
    )
    text = wxr(body).replace('encoding="UTF-8"', f'encoding="{charset}"')
    text = text.replace("Light and Shade", title)
    path = write(b"\n" + text.encode(charset))
    assert read_site(path).title == title
    [post] = iter_items(path)
    assert (post.title, post.content) == (title, title * 40000)  # over several reads


def test_bytes_not_in_the_declared_charset(write):
    text = wxr(item("<title>摄影</title>")).replace('encoding="UTF-8"', 'encoding="GBK"')
    data = text.encode("gbk")
    at = data.index("摄影".encode("gbk"))
    message = refusal(write, data[:at] + b"\xff\xff" + data[at:])
    assert f"not valid GBK near byte {at}" in message


def test_an_unknown_charset(write):
    text = wxr(item()).replace('encoding="UTF-8"', 'encoding="x-martian"')
    assert "unknown encoding 'x-martian'" in refusal(write, text)


@pytest.mark.parametrize("charset", ["UTF-8", "GBK"])
def test_chunk_boundaries_anywhere(write, monkeypatch, charset):
    """Fed a byte at a time (after the first 4 kB, read at once for the declaration), a
    character split between reads still arrives whole."""
    monkeypatch.setattr(xmlbytes, "CHUNK", 1)
    words = "摄影 – 日记 " * 1000
    text = wxr(item(f"<title>{words}</title>")).replace('encoding="UTF-8"', f'encoding="{charset}"')
    [post] = iter_items(write(text.encode(charset)))
    assert post.title == words.strip()


@pytest.mark.parametrize("charset", ["UTF-8", "ISO-8859-1", "GBK"])
def test_control_characters_xml_forbids_are_dropped(write, charset):
    """Text pasted from word processors brings vertical tabs and the like, which WordPress
    exports as they are and XML forbids: they are dropped, the rest is read."""
    body = item(
        "<title>A\x0bB</title><content:encoded><![CDATA[x\x00y\x1fz\x0c\tend\r\n]]>"
        "</content:encoded>"
    )
    text = wxr(body).replace('encoding="UTF-8"', f'encoding="{charset}"')
    [post] = iter_items(write(text.encode(charset)))
    assert (post.title, post.content) == ("AB", "xyz\tend\n")


def test_utf16_is_read_as_it_is(write):
    text = wxr(item("<title>Ünï</title>")).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    [post] = iter_items(write(text.encode("utf-16")))
    assert post.title == "Ünï"


def test_bytes_not_in_utf8_are_named(write):
    data = wxr().replace("Shade", "Caf\u00e9").encode("utf-8").replace(b"\xc3\xa9", b"\xe9")
    message = refusal(write, data)
    assert "broken XML: a byte (0xE9) that is not UTF-8, as it says it is" in message


def test_a_bom_and_blank_lines_before_the_declaration(write):
    """Plugins that print a blank line break many exports; lines still count from the top."""
    path = write(b"\xef\xbb\xbf\n\n" + wxr(item("<title>x</title>")).encode())
    assert [p.title for p in iter_items(path)] == ["x"]
    broken = write(b"\n\n" + wxr(item("<title>x<title>")).encode(), "broken.xml")
    with pytest.raises(WxrError, match="line 14, column 50"):
        list(iter_items(broken))


def test_open_binary_files_are_read_too():
    source = io.BytesIO(wxr(item("<title>From memory</title>")).encode())
    assert [p.title for p in iter_items(source)] == ["From memory"]


def test_deeply_nested_markup_is_no_recursion_bomb(write):
    """Content written as XML rather than CDATA, nested 100,000 deep: its text is read
    without recursing once per level."""
    deep = "<b>" * 100_000 + "core" + "</b>" * 100_000
    [post] = items_of(write, item(f"<content:encoded>{deep}</content:encoded>"))
    assert post.content == "core"


# WordPress.com hands a large site's export out as a zip of several files


def zipped(write, files: dict[str, str | bytes], name: str = "export.zip"):
    path = write(b"", name)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, text in files.items():
            archive.writestr(member, text)
    return path


def test_a_zip_of_several_files_reads_as_one_export(write):
    path = zipped(
        write,
        {
            "site.wordpress.2024-01-01.001.xml": wxr(item("<title>Third</title>", post_id=3)),
            "site.wordpress.2024-01-01.000.xml": wxr(
                "<wp:author><wp:author_login>ada</wp:author_login></wp:author>"
                + item("<title>First</title>")
                + item("<title>Second</title>", post_id=2)
            ),
            "__MACOSX/._site.wordpress.2024-01-01.000.xml": b"\x00\x05\x16\x07",
            "media/readme.txt": "not an export",
        },
    )
    assert [a.login for a in read_site(path).authors] == ["ada"]
    assert [p.title for p in iter_items(path)] == ["First", "Second", "Third"]


def test_a_zip_without_an_export(write):
    path = zipped(write, {"notes.txt": "hello"})
    with pytest.raises(WxrError, match="the zip holds no .xml file"):
        read_site(path)


def test_a_zip_of_two_sites_is_refused(write):
    other = wxr(item()).replace("photos.example.org", "elsewhere.example.net")
    path = zipped(write, {"a.xml": wxr(item()), "b.xml": other})
    with pytest.raises(WxrError, match=r"\(b.xml\): an export of elsewhere.example.net"):
        list(iter_items(path))


def test_a_broken_member_is_named(write):
    path = zipped(write, {"a.xml": wxr(item()), "b.xml": wxr(item("<title>x</titel>"))})
    with pytest.raises(WxrError, match=r"export.zip \(b.xml\), line 12, column .*mismatched"):
        list(iter_items(path))


def test_a_damaged_zip_is_refused(write):
    path = zipped(write, {"a.xml": wxr(item("<title>" + "words " * 5000 + "</title>"))})
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # inside the compressed member
    path.write_bytes(bytes(data))
    with pytest.raises(WxrError, match="cannot be read"):
        list(iter_items(path))


# Streaming


@pytest.mark.parametrize("charset", ["UTF-8", "GBK"])  # read directly, or through a decoder
def test_memory_stays_flat_however_long_the_export(write, charset):
    """Reading 9 MB of posts keeps one post at a time, not the tree: the peak (about 2 MB,
    the same for 3 MB) is well under the file's size, where a reader holding every element
    would need more than the file."""
    content = "<![CDATA[" + "<p>Words and more words.</p>" * 100 + "]]>"
    posts = "".join(
        item(f"<title>Post {n}</title><content:encoded>{content}</content:encoded>", post_id=n)
        for n in range(1, 3001)
    )
    text = wxr(posts).replace('encoding="UTF-8"', f'encoding="{charset}"')
    path = write(text.encode(charset))
    assert path.stat().st_size > 8_500_000
    tracemalloc.start()
    try:
        count = sum(1 for _ in iter_items(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 3000
    assert peak < 3_000_000


# The shared corpus: WordPress's own test exports, good and bad

WXR_CORPUS = CORPUS / "wxr"  # the committed sample carries these exports too
REFUSED = {  # not XML, or no WXR at all; every other file must read
    "wordpress-importer-phpunit-data/crazy-cdata.xml": "broken XML",
    "wordpress-importer-phpunit-data/malformed-simple.xml": "broken XML",
    "wordpress-importer-phpunit-data/malformed.xml": "not a WordPress export",
    "wordpress-importer-phpunit-data/invalid-version-tag.xml": "WXR version 'abc'",
    "wordpress-importer-phpunit-data/missing-version-tag.xml": "no WXR version",
}


def corpus_exports() -> list[str]:
    if not WXR_CORPUS.is_dir():
        return []
    return sorted(p.relative_to(WXR_CORPUS).as_posix() for p in WXR_CORPUS.rglob("*.xml"))


@pytest.mark.parametrize("relative", corpus_exports() or ["(none)"])
def test_corpus_exports_read_or_are_refused_clearly(relative):
    path = WXR_CORPUS / relative
    if relative in REFUSED:
        with pytest.raises(WxrError, match=REFUSED[relative]) as raised:
            list(iter_items(path))
        assert str(raised.value).startswith(str(path))
        return
    site = read_site(path)
    items = list(iter_items(path))
    # wxr_stats.json was counted by another tool: where it read the file, the counts agree.
    stats = {
        s["file"].removeprefix("./"): s
        for s in json.loads((WXR_CORPUS / "wxr_stats.json").read_text())
    }.get(relative)
    if stats and stats["wxr_version"]:
        assert site.wxr_version == stats["wxr_version"]
        assert len(items) == stats["items"]
        # Where the file gives no post_type, WordPress makes a post; no comment_approved, we
        # hold the comment for a person to look at.
        assert Counter(p.type for p in items) == _nulls_as(stats["post_types"], "post")
        comments = [c for p in items for c in p.comments]
        assert len(comments) == stats["comments"]
        assert Counter(c.approved for c in comments) == _nulls_as(stats["comment_approved"], "0")
        # Our count also takes the author written in WXR 1.1's namespace inside a 1.2 file.
        extra = 1 if relative.endswith("namespace-edge-cases.xml") else 0
        assert len(site.authors) == stats["authors"] + extra


def _nulls_as(counts: dict[str, int], value: str) -> Counter:
    counts = Counter(counts)
    counts[value] += counts.pop("null", 0)
    return +counts  # without zero counts


def test_corpus_sweep_finds_the_exports():
    found = corpus_exports()
    assert len(found) >= 30
    assert set(REFUSED) <= set(found)
