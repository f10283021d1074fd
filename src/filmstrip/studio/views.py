"""The studio's pages and the small JSON requests its script makes. Staff only."""

import json
import re
from datetime import datetime
from functools import wraps

from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from filmstrip.accounts import models as authors
from filmstrip.comments.models import Comment
from filmstrip.photos import jobs
from filmstrip.photos.models import Photo
from filmstrip.stories import publishing, revisions
from filmstrip.stories.assembly import reorder
from filmstrip.stories.models import Revision, Story, StoryItem
from filmstrip.stories.richtext import render_markdown

from . import uploads
from .models import Upload
from .privacy import privacy_report

ESSAY_FIELDS = ("title", "intro", "licence", "licence_url", "change_note")
ESSAY_SWITCHES = {"comments_open", "allow_downloads", "share_location", "show_photo_details"}
_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")
MAX_IDS = 10_000  # items named in one request (a longer SQL IN list fails on SQLite)


class BadRequestBody(Exception):
    """A request body the studio cannot read; its message says why, for the script to show."""


def studio_view(view):
    """Signed-in staff only (through the admin's sign-in), never cached; a body that cannot be
    read is answered 400 with the reason in JSON, as the script expects, not a server error."""

    @wraps(view)
    def refusing_bad_bodies(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except RequestDataTooBig:
            limit = django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            error = f"The request is larger than the limit of {limit:,} bytes."
        except BadRequestBody as exc:
            error = str(exc)
        return JsonResponse({"error": error}, status=400)

    return staff_member_required(never_cache(refusing_bad_bodies))


def _body(request) -> dict:
    """The JSON object sent, with NUL characters gone (PostgreSQL refuses them in text)."""
    try:
        data = json.loads(request.body or b"{}")
    except RecursionError as exc:
        raise BadRequestBody("The JSON sent is nested too deeply.") from exc
    except ValueError as exc:  # not UTF-8, not JSON, or a number too long to read
        raise BadRequestBody(f"The request is not JSON: {exc}"[:200]) from exc
    if not isinstance(data, dict):
        return {}
    return {k: v.replace("\x00", "") if isinstance(v, str) else v for k, v in data.items()}


def _row_id(value) -> bool:
    """Whether ``value`` could be a row's number: JSON gives any size of integer, and one
    past 64 bits makes the database driver raise instead of finding nothing."""
    return type(value) is int and 0 < value < 2**63


def _ids(data: dict) -> list[int]:
    """The item numbers sent as ``ids``; no more than an essay could have."""
    ids = data.get("ids", [])
    if not isinstance(ids, list) or not all(_row_id(i) for i in ids):
        raise BadRequestBody("ids must be a list of item numbers.")
    if len(ids) > MAX_IDS:
        raise BadRequestBody(f"At most {MAX_IDS:,} items at a time.")
    return ids


def _set_fields(instance, data: dict, fields: dict[str, str]) -> list[str]:
    """Copy the ``fields`` (JSON name: model field) present in ``data`` onto ``instance``,
    each checked by its model field (type, length, URL); raises ValidationError."""
    changed = []
    for key, name in fields.items():
        if key in data:
            if not isinstance(data[key], str):
                raise ValidationError(f"{key} must be text.")
            value = data[key].strip() if name.endswith("_url") else data[key]
            setattr(instance, name, instance._meta.get_field(name).clean(value, instance))
            changed.append(name)
    return changed


def _refused(error: ValidationError) -> JsonResponse:
    return JsonResponse({"error": " ".join(error.messages)}, status=400)


def item_data(item: StoryItem) -> dict:
    data = {"id": item.pk, "kind": item.kind, "position": item.position}
    if item.kind == StoryItem.Kind.TEXT:
        return data | {"body": item.body}
    photo = item.photo
    thumb = next(iter(photo.srcsets().get("jpeg", [])), None)
    return data | {
        "photo": photo.pk,
        "filename": photo.original_filename,
        "status": photo.status,
        "reason": photo.failure_reason,
        "thumb": thumb.url if thumb else "",
        "caption": item.caption,
        "alt": item.alt_text,
        "licence_url": item.licence_url,
        "captured": photo.captured_at.isoformat() if photo.captured_at else "",
    }


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
            pending_comments=Count(
                "comments", filter=Q(comments__status=Comment.Status.PENDING), distinct=True
            ),
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
        raise BadRequestBody(" ".join(exc.messages)) from exc
    if author.display_name != before:
        publishing.byline_changed(request.user)
    return redirect("studio:list")


@studio_view
@require_POST
def essay_new(request):
    title = request.POST.get("title", "").strip() or "Untitled essay"
    story = Story.objects.create(title=title[:300], author=request.user)
    return redirect("studio:editor", pk=story.pk)


@studio_view
@require_GET
def editor(request, pk):
    story = get_object_or_404(Story, pk=pk)
    items = list(story.items.for_page())
    context = {
        "story": story,
        "items": [item_data(item) for item in items],
        "privacy": privacy_report(story),
        "missing_alt": sum(1 for i in items if i.photo_id and not i.alt_text.strip()),
        "blank_text": {"kind": "text"},
    }
    return render(request, "studio/editor.html", context)


@studio_view
@require_POST
def save_essay(request, pk):
    story = get_object_or_404(Story, pk=pk)
    data = _body(request)
    try:
        changed = _set_fields(story, data, {field: field for field in ESSAY_FIELDS})
    except ValidationError as error:
        return _refused(error)
    for field in ESSAY_SWITCHES & data.keys():
        if not isinstance(data[field], bool):
            return JsonResponse({"error": f"{field} must be true or false."}, status=400)
        setattr(story, field, data[field])
        changed.append(field)
    if "cover" in data:
        cover = data["cover"]
        chosen = _row_id(cover) and story.items.filter(photo_id=cover).first()
        if not chosen:
            return JsonResponse({"error": "The cover must be a photo of this essay."}, status=400)
        story.cover_id = cover
        changed.append("cover")
    if not story.title.strip():
        return JsonResponse({"error": "An essay needs a title."}, status=400)
    # Only what was sent is written: a save racing "Publish now" must not undo it.
    story.save(update_fields=[*changed, "modified_at"])
    if changed:
        publishing.changed(story, user=request.user)
    return JsonResponse(
        {
            "saved": changed,
            "intro_html": story.intro_html,
            "licence_html": story.licence_html,
        }
    )


@studio_view
@require_POST
def preview_markdown(request):
    return JsonResponse({"html": render_markdown(str(_body(request).get("text", "")))})


@studio_view
@require_POST
def save_item(request, pk):
    item = get_object_or_404(StoryItem.objects.select_related("story"), pk=pk)
    fields = {"caption": "caption", "alt": "alt_text", "licence_url": "licence_url"}
    if item.kind == StoryItem.Kind.TEXT:
        fields["body"] = "body"
    try:
        _set_fields(item, _body(request), fields)
    except ValidationError as error:
        return _refused(error)
    item.save()
    publishing.changed(item.story, user=request.user)
    return JsonResponse({"saved": True, "item": item_data(item)})


@studio_view
@require_POST
def add_text(request, pk):
    story = get_object_or_404(Story, pk=pk)
    item = StoryItem.objects.create(
        story=story, position=story.next_position(), kind=StoryItem.Kind.TEXT, body=""
    )
    return JsonResponse({"item": item_data(item)}, status=201)


@studio_view
@require_POST
def delete_items(request, pk):
    story = get_object_or_404(Story, pk=pk)
    # A photo this was the last essay of is taken down, files and all (photos.removal).
    deleted, _ = story.items.filter(pk__in=_ids(_body(request))).delete()
    if story.cover_id and not story.items.filter(photo_id=story.cover_id).exists():
        first = story.items.photos().first()
        story.cover = first.photo if first else None
        story.save(update_fields=["cover", "modified_at"])
    publishing.changed(story, user=request.user)
    return JsonResponse({"deleted": deleted})


@studio_view
@require_POST
def order(request, pk):
    story = get_object_or_404(Story, pk=pk)
    try:
        reorder(story, _ids(_body(request)))
    except (TypeError, ValueError) as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    publishing.changed(story, user=request.user)
    return JsonResponse({"saved": True})


@studio_view
@require_GET
def status(request, pk):
    story = get_object_or_404(Story, pk=pk)
    return JsonResponse({"items": [item_data(i) for i in story.items.for_page()]})


@studio_view
@require_POST
def retry(request, pk):
    item = get_object_or_404(StoryItem.objects.select_related("photo"), pk=pk, kind="photo")
    jobs.rebuild(Photo.objects.filter(pk=item.photo_id))
    item.photo.refresh_from_db()
    return JsonResponse({"item": item_data(item)})


@studio_view
@require_POST
def publish(request, pk):
    story = get_object_or_404(Story, pk=pk)
    when = request.POST.get("when", "").strip()
    if when:
        try:
            moment = datetime.fromisoformat(when)
        except ValueError:
            messages.error(request, f"“{when}” is not a date and time; nothing was scheduled.")
            return redirect("studio:editor", pk=pk)
        # The form's time is the site's (its label says which); an explicit offset is kept.
        moment = timezone.make_aware(moment) if timezone.is_naive(moment) else moment
        publishing.schedule(story, moment, user=request.user)
    else:
        publishing.publish(story, user=request.user)
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


@studio_view
@require_POST
def upload_start(request, pk):
    story = get_object_or_404(Story, pk=pk)
    data = _body(request)
    if not isinstance(data.get("size"), int):
        return JsonResponse({"error": "size must be a number of bytes."}, status=400)
    try:
        upload = uploads.start(
            story,
            filename=str(data.get("name", "")),
            size=data["size"],
            checksum=str(data.get("checksum", "")),
            user=request.user,
        )
    except (uploads.UploadError, ValueError) as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    if upload is None:
        return JsonResponse({"duplicate": True})
    return JsonResponse({"id": str(upload.pk), "offset": 0}, status=201)


@studio_view
@require_http_methods(["GET", "PUT"])
def upload_chunk(request, upload_id):
    upload = get_object_or_404(Upload, pk=upload_id)
    if request.method == "GET":
        return JsonResponse({"offset": upload.received, "size": upload.size})
    match = _RANGE.fullmatch(request.headers.get("Content-Range", ""))
    if not match or int(match[3]) != upload.size:
        return JsonResponse({"error": "A chunk needs Content-Range: bytes a-b/size."}, status=400)
    data = request.body
    if int(match[2]) - int(match[1]) + 1 != len(data):
        return JsonResponse({"error": "The chunk's length does not match its range."}, status=400)
    try:
        upload = uploads.receive(upload, int(match[1]), data)
    except uploads.WrongOffset as exc:
        return JsonResponse({"error": str(exc), "offset": exc.expected}, status=409)
    except uploads.UploadError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    if not upload.complete:
        return JsonResponse({"offset": upload.received})
    outcome = uploads.finish(upload)
    if outcome.error:
        return JsonResponse({"error": outcome.error}, status=422)
    if outcome.duplicate:
        return JsonResponse({"duplicate": True})
    return JsonResponse({"item": item_data(outcome.item)}, status=201)
