"""What a Filmstrip archive holds, and under which names: version 1 of the layout.

docs/archive.md describes it for people; this module is the one place that decides it. A
tar holds, in this order: ``manifest.json``, one JSON Lines file per table under ``tables/``
(one object per row, keyed by field name, relations by primary key), then each photo's
original under the name it is stored by, ``originals/<2 hex>/<sha256>.<ext>``.

Each table's fields are its model's, all of them, but for those named ``derived`` (made again
from the others by the model's own save() on restore: rendered HTML, lookup keys) and those
``withheld`` (never written; the reason beside each). tests/migration/test_archive.py fails
when a model gains a field, or Filmstrip a model, that this layout does not account for.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import models

FORMAT = "filmstrip-archive"
VERSION = 1
MANIFEST = "manifest.json"
TABLES_FOLDER = "tables"
ORIGINALS_FOLDER = "originals"

# Names a member may have; anything else (../, absolute paths, other folders) is refused.
TABLE_MEMBER = re.compile(r"tables/[a-z_]{1,40}\.jsonl")
ORIGINAL_MEMBER = re.compile(r"originals/([0-9a-f]{2})/(\1[0-9a-f]{62})\.([a-z0-9]{1,5})")


@dataclass(frozen=True)
class Table:
    name: str  # the member's name: tables/<name>.jsonl
    model: str  # app_label.ModelName
    derived: tuple[str, ...] = ()  # remade on restore by save(update_fields=resave)
    resave: tuple[str, ...] = ()
    withheld: dict[str, str] = field(default_factory=dict)  # field: why it is not written
    # Rows written, of the model's queryset (all by default).
    rows: Callable[[models.QuerySet], models.QuerySet] = lambda rows: rows
    # Values for withheld fields on restore.
    fill: Callable[[], dict] = dict

    @property
    def member(self) -> str:
        return f"{TABLES_FOLDER}/{self.name}.jsonl"

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def fields(self) -> list[models.Field]:
        """The fields written, in the model's order."""
        skip = {*self.derived, *self.withheld}
        return [f for f in self.model_class()._meta.concrete_fields if f.name not in skip]


def _people(users: models.QuerySet) -> models.QuerySet:
    """Accounts the site needs: staff, and whoever wrote an essay, a comment or a revision.
    Readers who only signed in are not kept."""
    return users.filter(
        models.Q(is_staff=True)
        | models.Q(stories__isnull=False)
        | models.Q(comments__isnull=False)
        | models.Q(revision__isnull=False)
    ).distinct()


def _of_people(rows: models.QuerySet) -> models.QuerySet:
    return rows.filter(user__in=_people(apps.get_model("auth.User").objects.all()))


TABLES: tuple[Table, ...] = (
    Table(
        "users",
        "auth.User",
        rows=_people,
        withheld={"password": "an archive travels; a password hash is a credential"},
        fill=lambda: {"password": make_password(None)},  # unusable: set one to sign in
    ),
    Table("authors", "accounts.Author", rows=_of_people),
    Table("sign_ins", "socialaccount.SocialAccount", rows=_of_people),
    Table("site_settings", "sitesettings.SiteSettings"),
    Table("photos", "photos.Photo"),
    Table("photo_locations", "photos.PhotoLocation"),
    Table("tags", "stories.Tag"),
    Table(
        "essays",
        "stories.Story",
        derived=("intro_html", "licence_html"),
        resave=("intro", "licence"),
    ),
    Table("essay_tags", "stories.Story_tags"),
    Table(
        "items",
        "stories.StoryItem",
        derived=("caption_html", "body_html", "group_caption_html"),
        resave=("caption_html", "body_html", "group_caption_html"),
    ),
    Table("uploaded_names", "studio.UploadedName"),
    Table("revisions", "stories.Revision"),
    Table("old_slugs", "stories.OldSlug"),
    Table("comments", "comments.Comment", derived=("body_html",), resave=("body", "body_html")),
    Table(
        "backlinks",
        "backlinks.Backlink",
        derived=("source_host", "pair_key"),
        resave=("source",),
    ),
    Table("sent_notices", "backlinks.SentMention", derived=("target_key",), resave=("target_key",)),
    Table("spam_words", "comments.TokenCount"),
    Table("spam_totals", "comments.Totals"),
    Table("old_addresses", "legacy.OldAddress"),
    # What a WordPress import remembers, so that running it again here adds no copies.
    Table("wordpress_posts", "migration.ImportedPost"),
    Table("wordpress_attachments", "migration.ImportedAttachment"),
    Table("wordpress_comments", "migration.ImportedComment"),
    Table("wordpress_missing_media", "migration.MissingMedia"),
)

# Filmstrip's models an archive leaves out, and why (see the test that keeps this complete).
NOT_ARCHIVED = {
    "photos.Rendition": "made again from the originals by the processing jobs a restore queues",
    "studio.Upload": "an upload still in progress",
    "studio.Chunk": "the bytes of an upload still in progress",
    "studio.Dropped": "where files dropped in the studio went, kept a day for those on the way",
    "published.PendingRebuild": "the published site is rebuilt after a restore",
    "published.WriteFailure": "the published site is rebuilt after a restore",
    "published.PendingPurge": "pages a CDN is still to be told of; it is told anew after a restore",
    "published.LogEntry": "rebuild requests kept a day for each web machine to follow",
    "published.DocumentVersion": "when each published page's bytes first were; set anew",
    "limits.Hit": "rate-limit counts, which expire within hours",
}


def table_named(name: str) -> Table:
    return next(table for table in TABLES if table.name == name)
