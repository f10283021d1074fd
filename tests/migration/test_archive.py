"""filmstrip export archive / import archive: the whole site out and back, exactly."""

import hashlib
import io
import json
import shutil
import subprocess
import tarfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection
from django.db.models.fields import AutoFieldMixin
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from filmstrip.accounts.models import set_display_name
from filmstrip.backlinks.models import Backlink, SentMention
from filmstrip.comments.models import Comment
from filmstrip.legacy.links import remember_post
from filmstrip.migration.archive import ArchiveError, layout
from filmstrip.migration.archive.export import export_archive
from filmstrip.migration.archive.restore import not_empty, restore_archive
from filmstrip.migration.models import ImportedPost
from filmstrip.migration.wordpress.importer import import_wordpress
from filmstrip.photos.models import Photo
from filmstrip.photos.processing import process_photo
from filmstrip.published import documents
from filmstrip.sitesettings.models import update as update_settings
from filmstrip.stories import publishing
from filmstrip.stories.models import OldSlug, Revision, Story, StoryItem, Tag
from tests.cli.test_entry_point import run
from tests.conftest import DEMO_PHOTOS, migrated
from tests.migration.wordpress import test_importer as wxr

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def site(essay, ready_photo):
    """The essay fixture and what grows around it: tags, a renamed slug, a thread of comments,
    links back, a draft, a scheduled essay, site settings and the author's public name."""
    update_settings({"site_title": "Far Away", "author_name": "Ann Author"})
    set_display_name(essay.author, "Ann A.")
    essay.tags.add(Tag.objects.create(name="Korea"), Tag.objects.create(name="Running"))
    before = publishing.seen(essay.pk)
    essay.slug = "pyongyang-half-marathon"
    # Its own layout: a cover header, the gallery mood, its last two photos side by side.
    essay.cover_header, essay.mood = True, "gallery"
    essay.save()
    *_, second, third = essay.items.photos()
    second.group_with_next, second.group_caption, third.layout = True, "Side *by* side", "text"
    second.save()
    third.save()
    publishing.saved(essay, before)
    reader = User.objects.create_user("bo", email="bo@example.net")
    SocialAccount.objects.create(user=reader, provider="github", uid="4711")
    User.objects.create_user("lurker")  # signed in, never wrote a word: not archived
    first = Comment.objects.create(
        story=essay,
        author_name="Bo",
        author_email="bo@example.net",
        user=reader,
        body="Great *photos*!",
        status="approved",
        ip_address="192.0.2.7",
    )
    Comment.objects.create(
        story=essay,
        parent=first,
        depth=2,
        author_name="Ann",
        author_email="ann@example.org",
        user=essay.author,
        body="Thank you, <b>Bo</b>.",
        status="approved",
    )
    Comment.objects.create(
        story=essay, author_name="Cy", author_email="cy@example.com", body="Held", status="pending"
    )
    Backlink.objects.create(
        kind="pingback",
        story=essay,
        source="https://blog.example.com/post",
        target=f"https://example.com/{essay.slug}/",
        status="approved",
        verification="verified",
        title="A post that links here",
        received_at=timezone.now(),
    )
    SentMention.objects.create(
        story=essay,
        target="https://www.nknews.org/",
        content_digest="x" * 64,
        sent_at=timezone.now(),
    )
    draft = Story.objects.create(title="Not yet", author=essay.author, intro="Coming *soon*.")
    StoryItem.objects.create(
        story=draft,
        photo=ready_photo("photos/immich-test-assets/metadata/rating/mongolels.jpg"),
        caption="Dunes",
    )
    later = Story.objects.create(title="Later", author=essay.author)
    publishing.schedule(later, timezone.now() + timedelta(days=3))
    remember_post(essay, post_id=412, slug="pyongyang", date=date(2014, 4, 27))
    ImportedPost.objects.create(site="ann.example.com", post_id=412, story=essay, fingerprint="f")
    return essay


def public_site() -> dict[str, bytes]:
    return {path: documents.render(path).content for path in documents.every_path()}


def wipe(media: Path) -> None:
    """Empty the database and storage as a new site's are."""
    for table in reversed(layout.TABLES):
        table.model_class()._default_manager.all().delete()
    User.objects.all().delete()
    DBTaskResult.objects.all().delete()  # the queue too: a new site's is empty
    # and ids start from 1 again, as in a new database
    metas = [table.model_class()._meta for table in layout.TABLES]
    sequences = [
        {"table": meta.db_table, "column": meta.pk.column}
        for meta in metas
        if isinstance(meta.pk, AutoFieldMixin)
    ]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_by_name_sql(no_style(), sequences):
            cursor.execute(sql)
    for path in sorted(media.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    assert not not_empty()


def process_all() -> None:
    for pk in Photo.objects.filter(status="pending").values_list("pk", flat=True):
        process_photo(pk)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_the_site_comes_back_byte_for_byte(site, tmp_path, media_storage):
    pages = public_site()
    assert any("pyongyang-half-marathon" in path for path in pages) and len(pages) > 10
    comments = {s.pk: s.comments.count() for s in Story.objects.all()}
    photos = dict(Photo.objects.values_list("pk", "checksum"))
    revisions = Revision.objects.count()
    archive = tmp_path / "site.tar"

    exported = export_archive(archive)
    assert exported.originals == len(photos) == 4
    assert exported.rows["comments"] == 3 and exported.rows["essays"] == 3
    wipe(media_storage)
    restored = restore_archive(archive)

    assert restored.rows == exported.rows and restored.queued == 4
    process_all()
    assert public_site() == pages
    assert {s.pk: s.comments.count() for s in Story.objects.all()} == comments
    for photo in Photo.objects.all():
        assert photos[photo.pk] == photo.checksum
        with default_storage.open(photo.original.name, "rb") as f:
            assert sha256(f.read()) == photo.checksum
    assert Revision.objects.count() == revisions
    assert OldSlug.objects.get(slug="a-half-marathon-in-pyongyang").story == site
    reply = Comment.objects.get(parent__isnull=False)
    assert reply.parent.author_email == "bo@example.net" and reply.depth == 2
    assert reply.body_html == Comment.objects.get(pk=reply.pk).body_html
    grouped = StoryItem.objects.get(group_with_next=True)
    assert grouped.group_caption_html == "Side <em>by</em> side"  # made again from the text
    assert StoryItem.objects.get(layout="text").story.mood == "gallery"
    ann = User.objects.get(username="ann")
    assert not ann.has_usable_password()  # hashes are never archived
    assert Backlink.objects.get().pair_key and SentMention.objects.get().target_key
    assert ImportedPost.objects.get().story == site
    assert SocialAccount.objects.get(uid="4711").user.username == "bo"
    assert not User.objects.filter(username="lurker").exists()
    assert publishing.queue_scheduled() == 0  # the scheduled essay's arrival is queued again
    old = Client().get("/2014/04/27/pyongyang/")
    assert old.status_code == 301 and old["Location"].endswith("/pyongyang-half-marathon/")
    # New rows take ids after the restored ones (PostgreSQL's sequences were moved on).
    assert Tag.objects.create(name="New").pk > max(
        Tag.objects.exclude(name="New").values_list("pk", flat=True)
    )


@pytest.mark.skipif(not shutil.which("tar"), reason="needs GNU tar")
def test_the_archive_is_read_by_plain_tools(essay, tmp_path):
    """GNU tar unpacks it, sha256sum agrees with its manifest, each row is JSON."""
    archive = tmp_path / "site.tar.gz"
    export_archive(archive)
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run(["tar", "-xzf", archive, "-C", out], check=True)
    listed = json.loads((out / "manifest.json").read_text())
    entries = [*listed["tables"], *listed["originals"]]
    sums = "".join(f"{e['sha256']}  {e['member']}\n" for e in entries)
    subprocess.run(["sha256sum", "--check", "--quiet"], cwd=out, input=sums.encode(), check=True)
    items = (out / "tables/items.jsonl").read_text().splitlines()
    assert sorted(json.loads(line)["alt_text"] for line in items) == ["", "Alt 0", "Alt 1", "Alt 2"]
    assert len(listed["originals"]) == 3 and listed["version"] == layout.VERSION


def test_a_site_moved_from_wordpress_can_move_on(tmp_path, media_storage):
    """What a WordPress import remembers comes along: after a restore, the same export
    changes nothing, a photo missing then is still waited for in its place, and the old
    permalinks still lead on."""
    export_file, uploads = tmp_path / "export.xml", tmp_path / "uploads"
    (uploads / "2014/04").mkdir(parents=True)
    shutil.copyfile(DEMO_PHOTOS / "prairie-falcon.jpg", uploads / "2014/04/falcon.jpg")
    pingback = wxr.comment(2, "Linked", type="pingback", url="https://else.example/p")
    post = wxr.item(10, "Race", wxr.GALLERY, comments=[wxr.comment(1, "Lovely"), pingback])
    export_file.write_text(wxr.export(post, *wxr.media_items()), encoding="utf-8")
    import_wordpress(export_file, media=uploads)
    process_all()
    pages = public_site()
    archive = tmp_path / "site.tar"

    export_archive(archive)
    wipe(media_storage)
    restore_archive(archive)
    process_all()

    assert public_site() == pages
    assert not import_wordpress(export_file, media=uploads).changed
    assert Client().get("/2014/04/27/race/")["Location"].endswith("/race/")
    shutil.copyfile(DEMO_PHOTOS / "ridge.jpg", uploads / "2014/04/ridge.jpg")
    assert import_wordpress(export_file, media=uploads)["photos", "filled in"] == 1


def test_a_restore_needs_an_empty_database(site, tmp_path):
    archive = tmp_path / "site.tar"
    export_archive(archive)
    with pytest.raises(ArchiveError, match=r"not empty \(.*3 essays.*\)"):
        restore_archive(archive)
    assert Story.objects.count() == 3


def tar_with(members: list[tuple[tarfile.TarInfo, bytes | None]], path: Path, mode="w") -> Path:
    with tarfile.open(path, mode) as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def member(name: str, data: bytes = b"", **attributes) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    for key, value in attributes.items():
        setattr(info, key, value)
    return info, data


def manifest(version=layout.VERSION, tables=(), originals=()) -> tuple[tarfile.TarInfo, bytes]:
    data = {
        "format": layout.FORMAT,
        "version": version,
        "tables": list(tables),
        "originals": list(originals),
    }
    return member(layout.MANIFEST, json.dumps(data).encode())


def entry(member_name: str, data: bytes, **more) -> dict:
    return {"member": member_name, "bytes": len(data), "sha256": sha256(data), **more}


ROW = b'{"id": 7, "name": "Korea", "slug": "korea"}\n'
TAGS = entry("tables/tags.jsonl", ROW, name="tags", model="stories.Tag")


OTHER = sha256(b"other bytes")
MISNAMED = entry(f"originals/{OTHER[:2]}/{OTHER}.jpg", b"bytes named for others")


@pytest.mark.parametrize(
    ("members", "refusal"),
    [
        ([manifest(originals=[MISNAMED])], "lists a member it may not"),
        ([manifest(version=2)], "layout version 2, made by a newer Filmstrip"),
        ([manifest(), member("../evil.txt", b"x")], "climbs out of the archive with '..'"),
        ([manifest(), member("/etc/evil", b"x")], "is an absolute path"),
        ([manifest(), member("notes.txt", b"x")], "not a member this archive's manifest"),
        (
            [manifest(tables=[TAGS]), member("tables/tags.jsonl", type=tarfile.SYMTYPE)],
            "is a link",
        ),
        (
            [manifest(tables=[TAGS]), member("tables/tags.jsonl", type=tarfile.LNKTYPE)],
            "is a link",
        ),
        ([manifest(), member("dev/null", type=tarfile.CHRTYPE)], "plain files only"),
        ([member("tables/tags.jsonl", ROW)], "does not begin with manifest.json"),
        ([manifest(tables=[TAGS])], "ends without 1 member"),
        (
            [manifest(tables=[TAGS]), member("tables/tags.jsonl", ROW.replace(b"Korea", b"Korec"))],
            "SHA-256",
        ),
        (
            [manifest(tables=[{**TAGS, "member": "tables/../../x.jsonl"}])],
            "lists a member it may not",
        ),
        (
            [
                manifest(tables=[TAGS]),
                member("tables/tags.jsonl", ROW),
                member("tables/tags.jsonl", ROW),
            ],
            "appears twice",
        ),
    ],
)
def test_an_unsafe_or_damaged_archive_is_refused_and_nothing_stays(
    members, refusal, tmp_path, media_storage
):
    archive = tar_with(members, tmp_path / "bad.tar")
    with pytest.raises(ArchiveError, match=refusal):
        restore_archive(archive)
    assert not not_empty() and not any(media_storage.rglob("*.*"))


def test_a_decompression_bomb_stops_at_its_header(tmp_path):
    """20 MB of zeros, packed into a few kB, where the manifest allows 40 bytes."""
    zeros = b"\0" * (20 << 20)
    archive = tar_with(
        [manifest(tables=[TAGS]), member("tables/tags.jsonl", zeros)],
        tmp_path / "bomb.tar.gz",
        mode="w:gz",
    )
    assert archive.stat().st_size < 100_000
    with pytest.raises(ArchiveError, match="20,971,520 bytes where the manifest says 44"):
        restore_archive(archive)


def test_a_bad_original_rolls_everything_back(site, tmp_path, media_storage):
    archive = tmp_path / "site.tar"
    export_archive(archive)
    wipe(media_storage)
    broken = tmp_path / "broken.tar"
    with tarfile.open(archive) as source, tarfile.open(broken, "w") as target:
        names = source.getnames()
        for info in source.getmembers():
            data = source.extractfile(info).read()
            if info.name == names[-1]:  # the last original: one byte changed
                data = data[:-1] + bytes([data[-1] ^ 1])
            target.addfile(info, io.BytesIO(data))
    with pytest.raises(ArchiveError, match="damaged: its SHA-256"):
        restore_archive(broken)
    assert not not_empty()
    assert not any(p.is_file() for p in media_storage.rglob("*"))


def test_an_original_of_no_photo_is_refused_and_removed(tmp_path, media_storage):
    data = b"not a photo of this site"
    name = f"originals/{sha256(data)[:2]}/{sha256(data)}.jpg"
    archive = tar_with(
        [manifest(originals=[entry(name, data)]), member(name, data)], tmp_path / "stray.tar"
    )
    with pytest.raises(ArchiveError, match="is the original of no photo"):
        restore_archive(archive)
    assert not any(p.is_file() for p in media_storage.rglob("*"))


def test_a_row_that_does_not_fit_is_refused_by_table_and_line(tmp_path):
    bad = b'{"id": 1, "name": "' + b"x" * 101 + b'", "slug": "x"}\n'
    tags = entry("tables/tags.jsonl", bad, name="tags", model="stories.Tag")
    archive = tar_with(
        [manifest(tables=[tags]), member("tables/tags.jsonl", bad)], tmp_path / "a.tar"
    )
    with pytest.raises(
        ArchiveError, match=r"tables/tags.jsonl, line 1: tags.name: longer than 100"
    ):
        restore_archive(archive)
    assert not Tag.objects.exists()


def test_the_commands_export_and_restore(essay, tmp_path, media_storage, capsys):
    archive = tmp_path / "out.tar.gz"
    call_command("export", "archive", str(archive))
    assert "4 items" in capsys.readouterr().out and tarfile.is_tarfile(archive)
    with pytest.raises(CommandError, match="not empty"):
        call_command("import", "archive", str(archive))
    wipe(media_storage)
    call_command("import", "archive", str(archive))
    out = capsys.readouterr().out
    assert "Restored" in out and "3 photo(s) to process" in out
    assert Story.objects.get().title == essay.title


def test_from_one_site_to_another_through_the_filmstrip_command(tmp_path, photo_folder):
    """Two data directories, two SQLite databases: what a person moving the site does."""
    photo_folder.add("photos/immich-test-assets/albums/nature/prairie_falcon.jpg")
    old, new, archive = tmp_path / "old", tmp_path / "new", tmp_path / "site.tar"
    migrated(old)
    run(old, "import", "folder", str(photo_folder.path), "--title", "Falcons", "--publish")
    assert "Wrote" in run(old, "export", "archive", str(archive)).stdout
    migrated(new)
    nowhere = run(new, "import", "archive", str(tmp_path / "nowhere.tar"), check=False)
    assert nowhere.returncode == 1 and "cannot be read as a tar archive" in nowhere.stderr
    restored = run(new, "import", "archive", str(archive))
    assert "Restored" in restored.stdout and "1 photo(s) to process again" in restored.stdout
    again = run(new, "import", "archive", str(archive), check=False)
    assert again.returncode == 1 and "the database is not empty (1 photos, 1 essays" in again.stderr
    stored = list((new / "media" / "originals").rglob("*.jpg"))
    assert [sha256(p.read_bytes()) for p in stored] == [p.stem for p in stored]


def test_every_model_and_field_is_accounted_for():
    """A new model of Filmstrip's, or a field named here that its model lost, fails this: the
    archive must say whether it keeps it."""
    ours = {
        f"{m._meta.app_label}.{m.__name__}"
        for m in apps.get_models(include_auto_created=True)
        if m.__module__.startswith("filmstrip.")
    }
    archived = {table.model for table in layout.TABLES}
    kept = {f"{m._meta.app_label}.{m.__name__}" for m in (t.model_class() for t in layout.TABLES)}
    assert ours - kept - set(layout.NOT_ARCHIVED) == set()
    assert len(archived) == len(layout.TABLES)
    for table in layout.TABLES:
        names = {f.name for f in table.model_class()._meta.concrete_fields}
        assert {*table.derived, *table.withheld, *table.resave} <= names, table.name


def test_the_layout_is_documented():
    """docs/archive.md names every table, and in its row every field an archive writes."""
    text = (REPO / "docs" / "archive.md").read_text()
    assert f"## Layout, version {layout.VERSION}" in text
    rows = {
        line.split(" | ")[0][3:-1]: line for line in text.splitlines() if line.startswith("| `")
    }
    for table in layout.TABLES:
        assert table.member in rows, table.name
        assert {f"`{f.name}`" for f in table.fields()} <= set(
            rows[table.member].split(" | ")[2].rstrip(" |").split(", ")
        ), table.name
