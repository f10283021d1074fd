"""Whole-file imports of small WordPress exports written here, through the real reader,
converter, media library, models and pages, and of WordPress's own test exports (committed in
the test sample)."""

import shutil
import tarfile
import threading
from datetime import UTC, datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from filmstrip.backlinks.models import Backlink
from filmstrip.comments.models import Comment, TokenCount, Totals
from filmstrip.migration.models import ImportedPost, MissingMedia
from filmstrip.migration.wordpress.importer import ImportRefused, import_wordpress
from filmstrip.photos.models import Photo
from filmstrip.stories import publishing
from filmstrip.stories.models import Story, StoryItem
from tests.conftest import CORPUS, DEMO_PHOTOS

pytestmark = pytest.mark.django_db

SITE = "https://runs.example"
UPLOADS = f"{SITE}/wp-content/uploads"


# --- writing exports -----------------------------------------------------------------------


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def comment(
    id, content, *, approved="1", parent=0, author="Reader", email="reader@mail.example",
    type="", url="", date="2014-04-28 09:00:00", user_id=0,
):  # fmt: skip
    return f"""
    <wp:comment>
      <wp:comment_id>{id}</wp:comment_id>
      <wp:comment_author>{cdata(author)}</wp:comment_author>
      <wp:comment_author_email>{email}</wp:comment_author_email>
      <wp:comment_author_url>{escape(url)}</wp:comment_author_url>
      <wp:comment_author_IP>192.0.2.7</wp:comment_author_IP>
      <wp:comment_date>{date}</wp:comment_date>
      <wp:comment_date_gmt>{date}</wp:comment_date_gmt>
      <wp:comment_content>{cdata(content)}</wp:comment_content>
      <wp:comment_approved>{approved}</wp:comment_approved>
      <wp:comment_type>{type}</wp:comment_type>
      <wp:comment_parent>{parent}</wp:comment_parent>
      <wp:comment_user_id>{user_id}</wp:comment_user_id>
    </wp:comment>"""


def item(
    id, title, content="", *, status="publish", type="post", slug=None, date="2014-04-27 08:00:00",
    modified="2014-04-28 10:00:00", comments=(), meta=(), terms=(), parent=0, password="",
    attachment_url="", excerpt="", comment_status="open",
):  # fmt: skip
    slug = title.lower().replace(" ", "-") if slug is None else slug
    metas = "".join(
        f"<wp:postmeta><wp:meta_key>{k}</wp:meta_key><wp:meta_value>{cdata(v)}</wp:meta_value>"
        "</wp:postmeta>"
        for k, v in meta
    )
    categories = "".join(
        f'<category domain="{domain}" nicename="{nice}">{cdata(name)}</category>'
        for domain, nice, name in terms
    )
    return f"""
  <item>
    <title>{escape(title)}</title>
    <link>{SITE}/{date[:4]}/{date[5:7]}/{date[8:10]}/{slug}/</link>
    <dc:creator>{cdata("ann")}</dc:creator>
    <guid isPermaLink="false">{SITE}/?p={id}</guid>
    <content:encoded>{cdata(content)}</content:encoded>
    <excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>
    <wp:post_id>{id}</wp:post_id>
    <wp:post_date>{date}</wp:post_date>
    <wp:post_date_gmt>{date}</wp:post_date_gmt>
    <wp:post_modified>{modified}</wp:post_modified>
    <wp:post_modified_gmt>{modified}</wp:post_modified_gmt>
    <wp:comment_status>{comment_status}</wp:comment_status>
    <wp:ping_status>open</wp:ping_status>
    <wp:post_name>{slug}</wp:post_name>
    <wp:status>{status}</wp:status>
    <wp:post_parent>{parent}</wp:post_parent>
    <wp:menu_order>0</wp:menu_order>
    <wp:post_type>{type}</wp:post_type>
    <wp:post_password>{password}</wp:post_password>
    {f"<wp:attachment_url>{attachment_url}</wp:attachment_url>" if attachment_url else ""}
    {categories}{metas}{"".join(comments)}
  </item>"""


def attachment(id, name, *, caption="", alt="", parent=0, month="2014/04", uploads=UPLOADS):
    return item(
        id,
        name.rsplit(".", 1)[0],
        status="inherit",
        type="attachment",
        parent=parent,
        attachment_url=f"{uploads}/{month}/{name}",
        excerpt=caption,
        meta=[("_wp_attached_file", f"{month}/{name}"), ("_wp_attachment_image_alt", alt)],
    )


def export(*items: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
  xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Runs</title>
  <link>{SITE}</link>
  <language>en-GB</language>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>{SITE}</wp:base_site_url>
  <wp:base_blog_url>{SITE}</wp:base_blog_url>
  <wp:author>
    <wp:author_id>1</wp:author_id>
    <wp:author_login>{cdata("ann")}</wp:author_login>
    <wp:author_email>{cdata("ann@runs.example")}</wp:author_email>
    <wp:author_display_name>{cdata("Ann Walker")}</wp:author_display_name>
    <wp:author_first_name>{cdata("Ann")}</wp:author_first_name>
    <wp:author_last_name>{cdata("Walker")}</wp:author_last_name>
  </wp:author>
  {"".join(items)}
</channel>
</rss>
"""


@pytest.fixture
def site(tmp_path):
    """An export file and an uploads folder to fill: ``site.write(*items)``,
    ``site.upload(demo_name, as_name)``."""

    class Site:
        path = tmp_path / "export.xml"
        uploads = tmp_path / "uploads"

        def write(self, *items: str) -> Path:
            self.path.write_text(export(*items), encoding="utf-8")
            return self.path

        def upload(self, demo: str, name: str, month: str = "2014/04") -> Path:
            target = self.uploads / month / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(DEMO_PHOTOS / demo, target)
            return target

        def run(self, **options):
            options.setdefault("media", self.uploads if self.uploads.exists() else None)
            return import_wordpress(self.path, **options)

    return Site()


GALLERY = (
    "<!-- wp:paragraph --><p>The start, at dawn.</p><!-- /wp:paragraph -->\n"
    '<!-- wp:gallery {"linkTo":"none"} --><figure class="wp-block-gallery">'
    '<!-- wp:image {"id":101} --><figure class="wp-block-image"><img src="'
    f'{UPLOADS}/2014/04/falcon-1024x683.jpg" alt="A falcon leaves its nest" '
    'class="wp-image-101"/><figcaption>The <em>falcon</em> at the start</figcaption></figure>'
    "<!-- /wp:image -->"
    '<!-- wp:image {"id":102} --><figure class="wp-block-image"><img src="'
    f'{UPLOADS}/2014/04/ridge.jpg" alt="The ridge" class="wp-image-102"/></figure>'
    "<!-- /wp:image --></figure><!-- /wp:gallery -->\n"
    "<!-- wp:paragraph --><p>Then the climb.</p><!-- /wp:paragraph -->\n"
)
CLASSIC = 'Before the race.\n\n[gallery ids="103,104"]\n\nAfter the race.'


def media_items():
    return [
        attachment(101, "falcon.jpg", parent=10),
        attachment(102, "ridge.jpg", parent=10),
        attachment(103, "cactus.jpg", caption="A cactus by the road", alt="A round cactus"),
        attachment(104, "cyclamen.jpg", caption="Cyclamen", alt="Pink flowers"),
    ]


def upload_all(site):
    for name in ("falcon.jpg", "ridge.jpg", "cactus.jpg", "cyclamen.jpg"):
        site.upload({"falcon.jpg": "prairie-falcon.jpg"}.get(name, name), name)


# --- posts become essays --------------------------------------------------------------------


def test_a_post_becomes_an_essay_with_its_photos_captions_and_dates(site, client):
    upload_all(site)
    site.write(
        item(10, "Half Marathon", GALLERY, terms=[("category", "races", "Races"),
                                                  ("post_tag", "dawn", "Dawn")]),
        item(11, "Flowers", CLASSIC, date="2014-05-01 08:00:00", modified="2014-05-01 08:00:00"),
        *media_items(),
    )  # fmt: skip
    report = site.run()

    assert report["essays", "created"] == 2 and not report.problems, report.lines()
    story = Story.objects.get(slug="half-marathon")
    assert story.is_published and story.author.username == "ann"
    assert story.author.get_full_name() == "Ann Walker" and not story.author.has_usable_password()
    assert story.published_at == datetime(2014, 4, 27, 8, tzinfo=UTC)
    assert story.updated_at == datetime(2014, 4, 28, 10, tzinfo=UTC)
    assert sorted(story.tags.values_list("name", flat=True)) == ["Dawn", "Races"]
    items = list(story.items.all())
    assert [i.kind for i in items] == ["text", "photo", "photo", "text"]
    falcon, ridge = items[1], items[2]
    # WordPress's caption wins over the file's own (IPTC) one; without one, the file's stays.
    assert falcon.caption == "The *falcon* at the start"
    assert falcon.alt_text == "A falcon leaves its nest"
    assert falcon.photo.original_filename == "falcon.jpg"  # the original, not -1024x683
    assert ridge.caption == "Fall 2023 Week 3" and ridge.alt_text == "The ridge"
    assert story.cover == falcon.photo

    classic = Story.objects.get(slug="flowers")
    photos = list(classic.items.photos())
    assert [(p.caption, p.alt_text) for p in photos] == [
        ("A cactus by the road", "A round cactus"),
        ("Cyclamen", "Pink flowers"),
    ]
    assert Photo.objects.count() == 4

    page = client.get(story.get_absolute_url()).content.decode()
    assert "Updated" in page and "April 28, 2014" in page
    assert "<em>falcon</em> at the start" in page


@pytest.mark.parametrize(
    "content, rows",
    [
        ('[gallery ids="101,102,103,104" columns="2"]', "Pp|Pp"),
        # WordPress shows a gallery in three columns unless it says; a group holds four.
        ('[gallery ids="101,102,103,104"]', "PPp|p"),
        ('[gallery ids="101,102,103,104" columns="6"]', "PPPp"),
        ('[gallery ids="101,102,103,104" columns="1"]', "p|p|p|p"),
        (GALLERY, "t|Pp|t"),
        ('[gallery ids="101,102" columns="2"]\n\n[gallery ids="103,104" columns="2"]', "Pp|Pp"),
    ],
)
def test_gallery_columns_become_groups(site, client, content, rows):
    upload_all(site)
    site.write(item(10, "Galleries", content), *media_items())
    assert site.run()["essays", "created"] == 1
    story = Story.objects.get(slug="galleries")
    drawn = []
    for shown in story.items.all():
        letter = "t" if shown.kind == "text" else "P" if shown.group_with_next else "p"
        drawn.append(letter + ("" if letter == "P" else "|"))
    assert "".join(drawn).rstrip("|") == rows
    page = client.get(story.get_absolute_url()).content.decode()
    assert page.count('class="group') == sum(len(row) > 1 for row in rows.split("|"))


def test_the_media_may_be_an_archive_such_as_wordpress_com_hands_out(site, tmp_path):
    upload_all(site)
    archive = tmp_path / "media-export.tar"
    with tarfile.open(archive, "w") as tar:
        tar.add(site.uploads, arcname="media-export-1")  # YYYY/MM/file under one top folder
    site.write(item(10, "Race", GALLERY), *media_items())
    report = site.run(media=archive)
    assert report["photos", "created"] == 2 and not report.problems, report.lines()


def test_every_state_of_a_post(site):
    site.write(
        item(1, "Out", status="publish"),
        item(2, "Later", status="future", date="2099-01-01 00:00:00", modified="2098-12-01 00:00:00"),
        item(3, "Unfinished", status="draft", date="0000-00-00 00:00:00"),
        item(4, "Waiting", status="pending"),
        item(5, "Secret", status="private"),
        item(6, "Members", password="swordfish"),
        item(7, "Binned", status="trash"),
        item(8, "About", type="page"),
        item(9, "Menu", type="nav_menu_item"),
        item(11, "", "No title, no slug, no date.", date="0000-00-00 00:00:00"),
    )  # fmt: skip
    report = site.run()
    states = {s.title: s.publication_state for s in Story.objects.all()}
    assert states == {
        "Out": "published", "Later": "scheduled", "Unfinished": "draft", "Waiting": "draft",
        "Secret": "draft", "Members": "draft", "Untitled": "published",
    }  # fmt: skip
    assert Story.objects.get(title="Untitled").slug == "untitled"
    assert not Story.objects.get(title="Secret").published_at  # a draft has no moment
    problems = "\n".join(map(str, report.problems))
    assert "“Secret” (post 5): private" in problems
    assert "“Members” (post 6): password-protected" in problems
    assert "“Binned” (post 7): its state is “trash”" in problems
    assert report["essays", "created"] == 7 and report["essays", "skipped"] == 1
    assert "export.xml: 1 page(s) not imported (--pages imports them)" in problems

    with_pages = site.run(pages=True)
    assert with_pages["essays", "created"] == 1 and Story.objects.filter(title="About").exists()


def test_comments_keep_their_threads_and_states_and_nobody_hears(site, client):
    site.write(
        item(10, "Race", "A race.", comments=[
            comment(1, "Well run!"),
            comment(2, "Thank you", parent=1, author="Ann", user_id=1),
            comment(3, "Cheap pills", approved="spam"),
            comment(4, "Oops", approved="trash"),
            comment(5, "Which shoes?", approved="0"),
            comment(6, "A reply to spam", parent=3),
            comment(7, "[…] a lovely race […]", type="pingback", author="Other blog",
                    url="https://other.example/2014/05/race/"),
            comment(8, "Listed", type="trackback", approved="0", url="https://third.example/"),
        ]),
    )  # fmt: skip
    mail.outbox.clear()
    report = site.run()

    story = Story.objects.get()
    comments = {c.body: c for c in story.comments.all()}
    assert set(comments) == {"Well run!", "Thank you", "Which shoes?", "A reply to spam"}
    assert comments["Thank you"].parent == comments["Well run!"]
    assert comments["Thank you"].depth == 2
    assert comments["Thank you"].by_author and comments["Well run!"].user is None
    assert comments["A reply to spam"].parent is None  # its parent was left out
    assert comments["Which shoes?"].status == Comment.Status.PENDING
    assert comments["Well run!"].created_at == datetime(2014, 4, 28, 9, tzinfo=UTC)
    assert report["comments", "spam"] == 1 and report["comments", "trash"] == 1
    assert report["comments", "created"] == 4 and report["links back", "created"] == 2

    # Nothing told anyone: no mail, no queued notice, and the spam filter learnt nothing.
    assert mail.outbox == []
    assert not DBTaskResult.objects.filter(task_path__contains="notif").exists()
    assert not DBTaskResult.objects.filter(task_path__contains="send_mentions").exists()
    assert not TokenCount.objects.exists() and not Totals.objects.filter(ham__gt=0).exists()
    assert all(c.trained_as == "" for c in comments.values())

    pingback = Backlink.objects.get(source="https://other.example/2014/05/race/")
    assert pingback.status == Backlink.Status.APPROVED and pingback.as_shown is not None
    assert Backlink.objects.get(source="https://third.example/").status == "pending"

    page = client.get(story.get_absolute_url()).content.decode()
    assert "3 thoughts on" in page  # the approved comments; the links back are listed apart
    assert "Linked from" in page and "Other blog" in page
    assert "reader@mail.example" not in page


def test_every_old_address_of_a_post_leads_to_its_essay(site, client):
    upload_all(site)
    site.write(
        item(10, "Race", GALLERY, terms=[("category", "races", "Races")],
             meta=[("_wp_old_slug", "a-race"), ("_wp_old_slug", "the-race")]),
        *media_items(),
    )  # fmt: skip
    site.run()
    story = Story.objects.get()
    essay = story.get_absolute_url()
    for old in ("/2014/04/27/race/", "/?p=10", "/archives/10", "/2014/04/27/a-race/",
                "/the-race/"):  # fmt: skip
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, essay), old
    falcon = story.items.photos().first().photo
    page = client.get("/?attachment_id=101")
    assert page.status_code == 301 and page["Location"].endswith(f"/{falcon.pk}/")
    assert client.get("/wp-content/uploads/2014/04/falcon-1024x683.jpg").status_code == 301
    tag = client.get("/category/races/")
    assert (tag.status_code, tag["Location"]) == (301, story.tags.get().get_absolute_url())


def test_photos_the_media_folder_lacks_are_fetched_from_the_old_site(site, settings, tmp_path):
    settings.FILMSTRIP_FETCH_ALLOW_NETWORKS = ("127.0.0.1/32",)  # the old site, on loopback
    settings.SITE_URL = "https://photos.example.org"
    root = tmp_path / "www"
    folder = root / "wp-content" / "uploads" / "2014" / "04"
    folder.mkdir(parents=True)
    for name in ("cactus.jpg", "cyclamen.jpg"):
        shutil.copyfile(DEMO_PHOTOS / name, folder / name)

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    old = f"http://127.0.0.1:{server.server_address[1]}/wp-content/uploads"
    try:
        site.upload("cactus.jpg", "cactus.jpg")  # one in the folder, one only on the old site
        site.write(
            item(11, "Flowers", CLASSIC),
            attachment(103, "cactus.jpg", caption="A cactus", uploads=old),
            attachment(104, "cyclamen.jpg", caption="Cyclamen", uploads=old),
        )
        without = site.run()
        assert without["photos", "missing"] == 1
        report = site.run(fetch=True)
    finally:
        server.shutdown()
        server.server_close()
    assert report["photos", "filled in"] == 1, report.lines()
    photos = Story.objects.get().items.photos()
    assert [p.caption for p in photos] == ["A cactus", "Cyclamen"]


# --- running again ------------------------------------------------------------------------


def test_running_the_same_export_again_changes_nothing(site):
    upload_all(site)
    site.write(item(10, "Race", GALLERY, comments=[comment(1, "Hi")]), *media_items())
    first = site.run()
    assert first.changed
    before = _state()
    again = site.run()
    assert not again.changed and _state() == before
    assert "Nothing changed" in "\n".join(again.lines())
    assert again["essays", "unchanged"] == 1 and again["comments", "unchanged"] == 1


def _state():
    story = Story.objects.get()
    return (
        list(Story.objects.values()),
        list(StoryItem.objects.values()),
        list(Comment.objects.values()),
        Photo.objects.count(),
        story.revisions.count(),
    )


def test_a_photo_missing_at_first_is_filled_in_on_a_later_run(site):
    site.upload("prairie-falcon.jpg", "falcon.jpg")
    site.write(item(10, "Race", GALLERY), *media_items())
    first = site.run()
    story = Story.objects.get()
    assert [i.kind for i in story.items.all()] == ["text", "photo", "text"]
    gap = MissingMedia.objects.get()
    assert gap.position == 2 and gap.alt_text == "The ridge"
    assert first["photos", "missing"] == 1
    assert any("ridge.jpg" in str(p) and "Race" in str(p) for p in first.problems)

    site.upload("ridge.jpg", "ridge.jpg")
    second = site.run()
    assert second["photos", "filled in"] == 1 and not MissingMedia.objects.exists()
    items = list(story.items.all())
    assert [i.kind for i in items] == ["text", "photo", "photo", "text"]
    assert items[2].photo.original_filename == "ridge.jpg" and items[2].alt_text == "The ridge"
    third = site.run()
    assert not third.changed  # filled in, the essay counts as the import left it


def test_a_newer_export_updates_the_posts_changed_there_unless_edited_here(site):
    site.write(item(10, "Race", "First version."), item(11, "Walk", "A walk."))
    site.run()
    race, walk = Story.objects.get(title="Race"), Story.objects.get(title="Walk")
    walk.intro = "My own words, written here."
    walk.save()

    site.write(
        item(10, "Race", "Second version.", modified="2014-06-01 10:00:00"),
        item(11, "Walk", "A longer walk.", modified="2014-06-01 10:00:00",
             comments=[comment(5, "A new comment is taken in, edited or not.")]),
    )  # fmt: skip
    report = site.run()
    assert report["essays", "updated"] == 1 and report["essays", "skipped"] == 1
    assert report["comments", "created"] == 1 and walk.comments.count() == 1
    assert [i.body for i in race.items.all()] == ["Second version."]
    race.refresh_from_db()
    assert race.updated_at == datetime(2014, 6, 1, 10, tzinfo=UTC)
    assert [i.body for i in walk.items.all()] == ["A walk."]
    assert any("“Walk” (post 11)" in str(p) and "--overwrite" in str(p) for p in report.problems)

    forced = site.run(overwrite=True)
    assert forced["essays", "updated"] == 1
    assert [i.body for i in walk.items.all()] == ["A longer walk."]
    assert not site.run().changed


def test_an_essay_deleted_here_does_not_come_back(site):
    site.write(item(10, "Race", "A race."))
    site.run()
    publishing.delete(Story.objects.get())
    report = site.run()
    assert not Story.objects.exists() and report["essays", "skipped"] == 1
    assert site.run(overwrite=True)["essays", "created"] == 1


def test_a_dry_run_writes_nothing(site, media_storage):
    upload_all(site)
    site.write(item(10, "Race", GALLERY, comments=[comment(1, "Hi")]), *media_items())
    report = site.run(dry_run=True)
    assert report.dry_run and report["essays", "created"] == 1 and report["photos", "created"] == 2
    assert "dry run" in report.lines()[0]
    for model in (Story, StoryItem, Photo, Comment, ImportedPost, MissingMedia):
        assert not model.objects.exists(), model
    assert not any(p.is_file() for p in media_storage.rglob("*"))


def test_a_second_post_with_the_same_id_is_reported_not_imported(site):
    site.write(item(10, "Race", "A race."), item(10, "Impostor", "Another."))
    report = site.run()
    assert list(Story.objects.values_list("title", flat=True)) == ["Race"]
    assert any("“Impostor” (post 10)" in str(p) for p in report.problems)


def test_a_post_that_fails_is_rolled_back_alone(site, media_storage):
    # A comment id no database column takes: the essay and its photos are made, then its
    # comments fail.
    too_big = 10**20
    upload_all(site)
    site.write(
        item(10, "Race", "A race.", comments=[comment(1, "Hi")]),
        item(11, "Broken", CLASSIC, comments=[comment(2, "Kept?"), comment(too_big, "Lost")]),
        item(12, "Walk", "A walk."),
        *media_items(),
    )
    report = site.run()
    assert not Photo.objects.exists()  # nor their files:
    assert not [p for p in media_storage.rglob("*") if p.is_file()]
    assert sorted(Story.objects.values_list("title", flat=True)) == ["Race", "Walk"]
    assert list(Comment.objects.values_list("body", flat=True)) == ["Hi"]
    assert not ImportedPost.objects.filter(post_id=11).exists()
    assert report["essays", "failed"] == 1 and report["essays", "created"] == 2
    assert report["comments", "created"] == 1  # the failed post's are not counted
    assert any("“Broken” (post 11): not imported" in str(p) for p in report.problems)


def test_posts_without_an_id_are_known_by_their_guid(site):
    no_id = item(0, "Elements", "Text.").replace(f"{SITE}/?p=0", f"{SITE}/?p=19")
    hand_made = item(0, "More Tags", "Text.").replace(f"{SITE}/?p=0", "urn:hand-made")
    site.write(no_id, hand_made, item(-4, "Negative", "Text."))
    report = site.run()
    assert ImportedPost.objects.get(story__title="Elements").post_id == 19
    assert ImportedPost.objects.get(story__title="More Tags").post_id >= 2**62
    assert report["essays", "created"] == 3
    assert any("More Tags" in str(p) and "no id" in str(p) for p in report.problems)
    assert not site.run().changed


def test_an_export_without_a_site_address_is_imported_and_said_so(site):
    site.path.write_text(export(item(10, "Race", "A race.")).replace(SITE, ""))
    report = site.run()
    assert report["essays", "created"] == 1
    assert any("names no site address" in str(p) for p in report.problems)


def test_the_command_prints_the_report(site):
    site.write(item(10, "Race", 'A race.\n\n[audio src="a.mp3"]', status="private"))
    out = StringIO()
    call_command("import", "wordpress", str(site.path), "--dry-run", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "dry run" in text and "essays: 1 created" in text and "private" in text
    assert "Kept as text, unknown here: shortcode [audio] (1)" in text
    assert not Story.objects.exists()


def test_an_export_or_media_that_cannot_be_used_is_refused_before_anything_is_written(site):
    site.path.write_text("<rss><channel><title>Not an export</title></channel></rss>")
    with pytest.raises(CommandError, match="export.xml"):
        call_command("import", "wordpress", str(site.path), stdout=StringIO(), stderr=StringIO())
    site.write(item(10, "Race", "A race."))
    missing = site.uploads / "nowhere"
    with pytest.raises(CommandError, match="nowhere does not exist"):
        call_command(
            "import", "wordpress", str(site.path), "--media", str(missing), stderr=StringIO()
        )
    assert not Story.objects.exists()


WXR_FILES = sorted((CORPUS / "wxr").rglob("*.xml"))


@pytest.mark.parametrize("path", WXR_FILES, ids=[p.name for p in WXR_FILES])
def test_every_corpus_export_imports_or_is_refused_with_a_reason(path):
    try:
        report = import_wordpress(path, pages=True)
    except ImportRefused as exc:
        assert path.name in str(exc) and len(str(exc)) > len(path.name) + 20
        assert not Story.objects.exists()  # refused before anything was written
        return
    failed = [p for p in report.problems if "not imported:" in p.reason]
    assert report["essays", "failed"] == 0 and failed == [], report.lines()


# --- the theme unit test data -------------------------------------------------------------

THEME_DATA = CORPUS / "wxr" / "theme-test-data" / "themeunittestdata.wordpress.xml"


def test_the_theme_unit_test_data_imports_whole(tmp_path):
    """With the referenced media laid out as an uploads folder: originals whose names look
    like resized copies (image-alignment-580x300.jpg) are found as what they are."""
    uploads = tmp_path / "uploads" / "2013" / "03"
    uploads.mkdir(parents=True)
    for path in (CORPUS / "wxr" / "referenced-media").glob("*.jpg"):
        shutil.copyfile(path, uploads / path.name)
    report = import_wordpress(THEME_DATA, media=tmp_path / "uploads", pages=True)
    assert report["essays", "failed"] == 0, report.lines()
    assert report["essays", "created"] > 20
    again = import_wordpress(THEME_DATA, media=tmp_path / "uploads", pages=True)
    assert not again.changed, again.lines()
