"""Posting a comment: checks, moderation decision, storage. One entry point for every form."""

from dataclasses import dataclass

from django.db import transaction

from filmstrip.columns import clip, clipped
from filmstrip.conf import filmstrip_settings
from filmstrip.sitesettings.models import current
from filmstrip.stories import publishing
from filmstrip.stories.richtext import render_comment

from . import classifier, moderation
from .defence import Rejected, check_limits, check_token
from .identity import Reader, reader_for
from .models import Comment
from .policy import ModerationPolicy, site_policy
from .tasks import send_notifications

MAX_BODY = 5000


@dataclass
class NewComment:
    """What a form sends. A signed-in ``reader`` replaces the typed name, e-mail and website."""

    name: str
    email: str
    url: str
    body: str
    token: str
    reader: Reader | None = None
    honeypot: str = ""
    parent_id: int | None = None
    notify_replies: bool = False
    photo_id: int | None = None
    earlier: tuple[int, ...] = ()  # comments this browser posted (signed cookie), for trust


def post_comment(
    story,
    data: NewComment,
    *,
    ip: str | None,
    user_agent: str = "",
    policy: ModerationPolicy | None = None,
) -> Comment:
    """Store a comment on ``story`` (approved or held); raise Rejected if refused."""
    if data.honeypot:
        raise Rejected("Your comment could not be accepted.")
    if not story.accepts_comments():
        raise Rejected("Comments are closed on this essay.")
    reader = data.reader
    if reader is None and current().require_signin:
        raise Rejected("Please sign in to comment on this essay.")
    check_token(data.token, story)
    body = data.body.strip()
    if not body:
        raise Rejected("The comment is empty.")
    if len(body) > MAX_BODY:
        raise Rejected(f"Comments are limited to {MAX_BODY} characters.")
    parent = None
    if data.parent_id:
        parent = story.comments.approved().filter(pk=data.parent_id).first()
        if parent is None:
            raise Rejected("The comment you are replying to is not there any more.")
        parent = _thread_parent(parent)
    photo = None
    if data.photo_id:
        photo = story.items.filter(photo_id=data.photo_id).first()
        if photo is None:
            raise Rejected("That photo is not part of this essay.")
        photo = photo.photo
    elif parent is not None:
        photo = parent.photo  # a reply stays with the photo its thread is about
    if reader is not None:
        name, email, url = reader.name, reader.email, reader.url
    else:
        name, email, url = data.name.strip(), data.email.strip(), data.url.strip()
    user = reader.user if reader else None
    check_limits(story=story, user=user, email=email, ip=ip, body=body)

    comment = Comment(
        story=story,
        parent=parent,
        depth=(parent.depth + 1) if parent else 1,
        user=user,
        author_via=reader.via if reader else "",
        **clipped(Comment, author_name=name, author_email=email, author_url=url),
        body=body,
        ip_address=ip,
        user_agent=clip(Comment, "user_agent", user_agent),
        notify_replies=data.notify_replies,
        photo=photo,
    )
    policy = policy or site_policy()
    known_good = policy.knows(user=user, email=email, earlier=data.earlier)
    decision = policy.decide(
        staff=reader is not None and reader.is_staff,
        found=policy.check(comment, known_good=known_good),
    )
    comment.status, comment.moderation_reasons = decision.status, decision.reasons
    return _store(comment)


def _thread_parent(parent: Comment) -> Comment | None:
    """What a reply to ``parent`` hangs under: as deep as threads go, it answers alongside."""
    if parent.depth >= filmstrip_settings.COMMENTS_MAX_DEPTH:
        return parent.parent
    return parent


def _store(comment: Comment) -> Comment:
    body = comment.body
    comment.set_body(body, render_comment(body))  # before the transaction and its write lock
    with transaction.atomic():
        comment.save()
        # Queued with the comment itself: mail goes out from a worker, never from this request.
        send_notifications.enqueue(comment.pk)
        if comment.status == Comment.Status.APPROVED:
            publishing.discussion_changed([comment.story_id])
    return comment


def author_reply(parent: Comment, user, body: str) -> Comment:
    """The essay's author (or other staff) answers ``parent`` from the studio: published at
    once, as their answers on the page are. Answering a held comment approves it first, through
    the moderation service: a reply under a hidden comment would make no sense to readers.
    Allowed on an essay closed to comments too: closing stops readers, not the author's answer
    to what was said before (the desk says so beside the reply)."""
    body = body.strip()
    if not body:
        raise Rejected("The reply is empty.")
    if len(body) > MAX_BODY:
        raise Rejected(f"Replies are limited to {MAX_BODY} characters.")
    reader = reader_for(user)
    if reader is None:  # the studio lets only signed-in staff this far
        raise Rejected("Sign in to reply.")
    if parent.status != Comment.Status.APPROVED:
        moderation.moderate(Comment.objects.filter(pk=parent.pk), Comment.Status.APPROVED)
    reply = Comment(
        story_id=parent.story_id,
        parent=_thread_parent(parent),
        user=user,
        author_via=reader.via,
        **clipped(
            Comment, author_name=reader.name, author_email=reader.email, author_url=reader.url
        ),
        body=body,
        photo_id=parent.photo_id,
    )
    reply.depth = reply.parent.depth + 1 if reply.parent else 1
    decision = site_policy().decide(staff=reader.is_staff)
    reply.status, reply.moderation_reasons = decision.status, decision.reasons
    return _store(reply)


def edit_comment(comment: Comment, body: str, policy: ModerationPolicy | None = None) -> Comment:
    """Change a comment's text; the new text is judged like a new comment (links, words)."""
    body = body.strip()
    if not body or len(body) > MAX_BODY:
        raise Rejected(f"A comment needs between 1 and {MAX_BODY} characters.")
    html = render_comment(body)  # before the transaction and its write lock
    with transaction.atomic():
        was_shown = comment.status == Comment.Status.APPROVED
        classifier.learn(comment, None)  # the filter learnt the old text; forget it
        comment.set_body(body, html)
        policy = policy or site_policy()
        found = policy.check(comment, known_good=comment.status == Comment.Status.APPROVED)
        decision = policy.decide(found=found)
        comment.status, comment.moderation_reasons = decision.status, decision.reasons
        comment.save()
        send_notifications.enqueue(comment.pk)  # the check, and the author's e-mail if held
        if was_shown or comment.status == Comment.Status.APPROVED:
            publishing.discussion_changed([comment.story_id])
    return comment


def delete_comment(comment: Comment) -> None:
    """A writer's own deletion: to the trash, where the author can still see it."""
    was_shown = comment.status == Comment.Status.APPROVED
    comment.status = Comment.Status.TRASH
    comment.save(update_fields=["status"])
    if was_shown:
        publishing.discussion_changed([comment.story_id])
