"""A post's comments, pingbacks and trackbacks, taken in under its essay.

Comments keep their state (approved or held) and their threads; spam and trash are counted and
left out. Pingbacks and trackbacks become entries of the link-back ledger. Nothing here
notifies anyone or teaches the spam filter: these are old decisions, made on the old site.
"""

import ipaddress
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.html import strip_tags

from filmstrip.backlinks.models import Backlink, url_key
from filmstrip.columns import clip, clipped
from filmstrip.comments.models import Comment
from filmstrip.conf import filmstrip_settings
from filmstrip.siteurl import absolute
from filmstrip.stories import publishing
from filmstrip.stories.models import Story

from ..models import ImportedComment
from .records import Comment as Record
from .records import Item

if TYPE_CHECKING:
    from .importer import Run

STATES = {"1": Comment.Status.APPROVED, "0": Comment.Status.PENDING}
LEFT_OUT = {"spam": "spam", "trash": "trash", "post-trashed": "trash"}


def import_comments(run: "Run", story: Story, item: Item) -> None:
    """Take in the comments of ``item`` not taken in before."""
    records: dict[int, Record] = {}
    for record in item.comments:
        records.setdefault(record.id, record)  # a repeated id: the first stands
    taken = dict(
        ImportedComment.objects.filter(site=run.key, wordpress_id__in=records).values_list(
            "wordpress_id", "comment"
        )
    )
    made: dict[int, Comment | None] = {}
    shown = False

    def take(record: Record, chain: frozenset = frozenset()) -> Comment | None:
        nonlocal shown
        if record.id in made:
            return made[record.id]
        if record.id in taken:
            made[record.id] = Comment.objects.filter(pk=taken[record.id]).first()
            run.report.count("comments", "unchanged")
            return made[record.id]
        if record.approved in LEFT_OUT or record.approved not in STATES:
            made[record.id] = None
            run.report.count("comments", LEFT_OUT.get(record.approved, "skipped"))
            return None
        parent = records.get(record.parent) if record.parent not in chain else None
        above = take(parent, chain | {record.id}) if parent is not None else None
        if record.type in ("pingback", "trackback"):
            made[record.id] = None
            _link_back(run, story, record)
            return None
        made[record.id] = comment = _comment(story, record, above, _user(run, record))
        ImportedComment.objects.create(site=run.key, wordpress_id=record.id, comment=comment)
        run.report.count("comments", "created")
        shown = shown or comment.status == Comment.Status.APPROVED
        return comment

    for record in sorted(records.values(), key=lambda r: r.id):
        take(record)
    if shown:
        publishing.discussion_changed([story.pk])


def _user(run: "Run", record: Record):
    """The account of a comment written by one of the site's authors, signed in (its badge
    says "author" under their own essays), else None."""
    login = next((a.login for a in run.site.authors if a.id and a.id == record.user_id), None)
    return get_user_model().objects.filter(username=login).first() if login else None


def _comment(story: Story, record: Record, parent: Comment | None, user) -> Comment:
    """The comment, stored as it stood on the old site: never a notice, never a lesson."""
    if parent is not None and parent.depth >= filmstrip_settings.COMMENTS_MAX_DEPTH:
        parent = parent.parent  # as deep as threads go: alongside, as posting does
    comment = Comment(
        story=story,
        parent=parent,
        depth=parent.depth + 1 if parent else 1,
        user=user,
        **clipped(
            Comment,
            author_name=record.author.strip() or "Anonymous",
            author_email=record.email.strip(),
            author_url=record.url.strip(),
        ),
        body=record.content.strip() or "…",
        status=STATES[record.approved],
        moderation_reasons=["imported from WordPress"],
        ip_address=_ip(record.ip),
    )
    comment.save()
    # created_at is set on saving; the comment's own moment is WordPress's.
    when = record.date_gmt or timezone.now()
    Comment.objects.filter(pk=comment.pk).update(created_at=when)
    comment.created_at = when
    return comment


def _link_back(run: "Run", story: Story, record: Record) -> None:
    """A pingback or trackback as a link back: approved ones are shown as "Linked from"."""
    source = record.url.strip()
    target = absolute(story.get_absolute_url())
    if not source.startswith(("http://", "https://")):
        run.report.count("links back", "skipped")
        return
    if Backlink.objects.filter(pair_key=url_key(source, target)).exists():
        run.report.count("links back", "unchanged")
        return
    when = record.date_gmt or timezone.now()
    backlink = Backlink.objects.create(
        kind=Backlink.Kind.PINGBACK,
        story=story,
        source=source,
        target=target,
        status=STATES[record.approved],
        # Checked by the old site when it arrived, and not to be fetched again now.
        verification=Backlink.Check.VERIFIED,
        verification_note=f"imported from WordPress ({record.type})",
        title=clip(Backlink, "title", record.author.strip()),
        excerpt=strip_tags(record.content).strip(),
        sender_ip=_ip(record.ip),
        received_at=when,
        verified_at=when,
    )
    ImportedComment.objects.create(site=run.key, wordpress_id=record.id, backlink=backlink)
    run.report.count("links back", "created")


def _ip(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None
