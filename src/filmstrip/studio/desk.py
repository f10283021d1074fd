"""The studio's moderation desk: what waits for the author across essays, comments and links
back, with the whole text, the photo it is about and why it was held; decided one at a time or
in bulk, and comments answered in place. Every decision goes through the moderation service,
as the admin's do, so the spam filter learns, reply notices go out and pages are rebuilt
either way. Staff only."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from filmstrip.backlinks.models import Backlink
from filmstrip.comments import moderation
from filmstrip.comments.defence import Rejected
from filmstrip.comments.models import Comment, ModerationStatus
from filmstrip.comments.posting import author_reply
from filmstrip.stories.models import Story

from .access import BadRequest, studio_view

# What each button does: the status given, the button's word and what the desk says after.
ACTIONS = {
    "approve": (ModerationStatus.APPROVED, "Approve", "Approved"),
    "spam": (ModerationStatus.SPAM, "Spam", "Marked as spam"),
    "trash": (ModerationStatus.TRASH, "Trash", "Moved to the trash"),
}
# The rows a decision is about, by the form's name for them: the model and its service.
KINDS = {
    "comment": (Comment, moderation.moderate, "comment(s)"),
    "link": (Backlink, moderation.set_status, "link(s) back"),
}


# The trays of the desk: what waits, and what was put aside (to take back a wrong decision).
# Each with the page's heading and the tab's name.
TRAYS = {
    ModerationStatus.PENDING: ("Waiting for you", "Waiting"),
    ModerationStatus.SPAM: ("Marked as spam", "Spam"),
    ModerationStatus.TRASH: ("In the trash", "Trash"),
}


def _essay(request) -> Story | None:
    """The essay the desk is narrowed to (?story=, from the list of essays), if any."""
    pk = request.GET.get("story") or request.POST.get("story") or ""
    return Story.objects.filter(pk=pk).first() if pk.isdigit() else None


def _tray(request) -> str:
    status = request.GET.get("status") or request.POST.get("status") or ""
    return status if status in TRAYS else ModerationStatus.PENDING


def _back(story: Story | None, tray: str):
    """The desk as it was: the same essay and tray."""
    query: dict[str, int | str] = {"story": story.pk} if story else {}
    if tray != ModerationStatus.PENDING:
        query["status"] = tray
    url = reverse("studio:desk")
    return redirect(f"{url}?{urlencode(query)}" if query else url)


@studio_view
@require_GET
def page(request):
    story, tray = _essay(request), _tray(request)
    comments = Comment.objects.filter(status=tray).select_related("story", "photo", "parent")
    links = Backlink.objects.filter(status=tray).select_related("story", "photo")
    if story:
        comments, links = comments.filter(story=story), links.filter(story=story)
    context = {
        "story": story,
        "tray": tray,
        "trays": {status: tab for status, (_, tab) in TRAYS.items()},
        "heading": TRAYS[tray][0],
        # No button for where the rows already are.
        "actions": [(verb, word) for verb, (status, word, _) in ACTIONS.items() if status != tray],
        "comments": comments.prefetch_related("photo__renditions").order_by("-created_at"),
        "links": links.prefetch_related("photo__renditions").order_by("-received_at"),
    }
    return render(request, "studio/desk.html", context)


@studio_view
@require_POST
def decide(request):
    """``act`` is "approve", "spam" or "trash" for every row ticked, or "approve:comment:12"
    for the one row beside which the button was pressed."""
    verb, _, row = request.POST.get("act", "").partition(":")
    if verb not in ACTIONS:
        raise BadRequest("Approve, spam or trash: nothing else is decided here.")
    if row:
        kind, _, pk = row.partition(":")
        chosen = {kind: [pk]}
    else:
        chosen = {kind: request.POST.getlist(kind) for kind in KINDS}
    status, _, said = ACTIONS[verb]
    done = []
    for kind, ids in chosen.items():
        if kind not in KINDS or not all(pk.isdigit() for pk in ids):
            raise BadRequest("The form names rows that are not comments or links back.")
        model, service, plural = KINDS[kind]
        if ids:
            done.append(f"{service(model.objects.filter(pk__in=ids), status)} {plural}")
    story = _essay(request)
    if done:
        messages.success(request, f"{said}: {' and '.join(done)}.")
    else:
        messages.warning(request, "Nothing was selected: tick the rows to decide on first.")
    return _back(story, _tray(request))


@studio_view
@require_POST
def reply(request, pk):
    """Answer a comment as its author, on the page at once (a held comment is approved)."""
    comment = get_object_or_404(Comment.objects.select_related("story"), pk=pk)
    try:
        author_reply(comment, request.user, request.POST.get("body", ""))
    except Rejected as exc:
        messages.error(request, f"Your reply to {comment.author_name} was not sent: {exc}")
    else:
        messages.success(request, f"Replied to {comment.author_name} on “{comment.story.title}”.")
    return _back(_essay(request), _tray(request))
