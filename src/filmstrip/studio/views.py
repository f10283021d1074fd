"""The studio's pages: the list of essays, the editor, its history; publishing. Staff only."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from filmstrip.accounts import models as authors
from filmstrip.backlinks.models import Backlink
from filmstrip.columns import clip
from filmstrip.comments.models import Comment
from filmstrip.photos.models import Photo
from filmstrip.stories import publishing, revisions
from filmstrip.stories.models import Layout, Revision, Story

from . import publish_flow
from .access import BadRequest, studio_view
from .api import item_data
from .privacy import privacy_report


def _waiting(model):
    """How many rows of ``model`` (comments or links back) wait for the author on each essay:
    a subquery, rather than one more join that multiplies the rows with the photos."""
    held = model.objects.pending().filter(story=OuterRef("pk")).values("story")
    return Coalesce(Subquery(held.annotate(n=Count("pk")).values("n")), 0)


@studio_view
@require_GET
def essay_list(request):
    stories = (
        Story.objects.select_related("cover")
        .prefetch_related("cover__renditions")
        .annotate(
            photo_count=Count("items", filter=Q(items__kind="photo"), distinct=True),
            waiting=Count(
                "items",
                filter=Q(items__photo__status__in=[Photo.Status.PENDING, Photo.Status.PROCESSING]),
                distinct=True,
            ),
            failed=Count(
                "items", filter=Q(items__photo__status=Photo.Status.FAILED), distinct=True
            ),
            # Apart, each named: a link back is not a comment (it is decided on the desk too).
            pending_comments=_waiting(Comment),
            pending_links=_waiting(Backlink),
        )
        .order_by("-modified_at")
    )
    context = {"stories": stories, "published_as": authors.chosen_name(request.user)}
    return render(request, "studio/essay_list.html", context)


@studio_view
@require_POST
def author_name(request):
    """The name the signed-in author is published under (never their login name)."""
    before = authors.chosen_name(request.user)
    try:
        author = authors.set_display_name(request.user, request.POST.get("display_name", ""))
    except ValidationError as exc:  # only a hand-made request passes the field's maxlength
        raise BadRequest(" ".join(exc.messages)) from exc
    if author.display_name != before:
        publishing.byline_changed(request.user)
    return redirect("studio:list")


@studio_view
@require_POST
def essay_new(request):
    title = request.POST.get("title", "").strip() or "Untitled essay"
    story = Story.objects.create(title=clip(Story, "title", title), author=request.user)
    return redirect("studio:editor", pk=story.pk)


@studio_view
@require_GET
def editor(request, pk):
    story = get_object_or_404(Story, pk=pk)
    items = list(story.items.for_page().select_related("uploaded_name"))
    context = {
        "story": story,
        "items": [item_data(item) for item in items],
        "privacy": privacy_report(story),
        "missing_alt": publish_flow.missing_alt(story),
        "check": request.GET if request.GET.get("check") == "publish" else None,
        "updated_hint": publish_flow.updated_hint(story),
        "blank_text": {"kind": "text"},
        "layouts": Layout.choices,
    }
    return render(request, "studio/editor.html", context)


@studio_view
@require_POST
def publish(request, pk):
    """Publish now or at a moment to come; while photos lack alt text, only once the author
    has seen them named (the editor's "publish check") and said to go on anyway."""
    story = get_object_or_404(Story, pk=pk)
    when, zone = request.POST.get("when", "").strip(), request.POST.get("zone", "")
    try:
        moment = publish_flow.read_moment(when, zone) if when else None
    except ValueError:
        messages.error(request, f"“{when}” is not a date and time; nothing was scheduled.")
        return redirect("studio:editor", pk=pk)
    if publish_flow.missing_alt(story) and not request.POST.get("anyway"):
        check = urlencode({"check": "publish", "when": when, "zone": zone})
        return redirect(f"{reverse('studio:editor', args=[pk])}?{check}#publish-check")
    if moment is None:
        publishing.publish(story, user=request.user)
        messages.success(request, "Published: readers can see it now.", extra_tags="live")
    else:
        publishing.schedule(story, moment, user=request.user)
        if story.is_published:  # a moment already past
            messages.success(request, "Published, dated as asked.", extra_tags="live")
        else:
            said = publish_flow.spoken(moment, zone)
            messages.success(request, f"Scheduled: it goes live on {said}.")
    return redirect("studio:editor", pk=pk)


@studio_view
@require_POST
def unpublish(request, pk):
    publishing.unpublish(get_object_or_404(Story, pk=pk))
    return redirect("studio:editor", pk=pk)


@studio_view
@require_GET
def history(request, pk):
    story = get_object_or_404(Story, pk=pk)
    entries = story.revisions.select_related("author")
    return render(request, "studio/history.html", {"story": story, "revisions": entries})


@studio_view
@require_POST
def restore(request, pk, revision_id):
    revision = get_object_or_404(Revision, pk=revision_id, story_id=pk)
    gone = revisions.photos_gone(revision)
    publishing.restore(revision, request.user)
    if gone:
        messages.warning(
            request,
            f"{gone} photo(s) of that version were deleted when they left their last essay, "
            "files and all, and could not be put back: upload them again to show them.",
        )
    return redirect("studio:history", pk=pk)
