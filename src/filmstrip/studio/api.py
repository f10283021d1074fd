"""The small JSON requests the editor's script makes: autosave, order, status, uploads."""

import json
from functools import wraps

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from filmstrip.photos import edits, jobs
from filmstrip.photos.models import Photo
from filmstrip.stories import grouping, publishing
from filmstrip.stories.assembly import add_passage, reorder
from filmstrip.stories.models import Story, StoryItem

from . import uploads
from .access import BadRequest, studio_view
from .models import Upload, uploaded_as

ESSAY_FIELDS = ("title", "intro", "excerpt", "licence", "licence_url", "change_note", "mood")
ESSAY_SWITCHES = {
    "comments_open", "allow_downloads", "share_location", "show_photo_details", "cover_header",
}  # fmt: skip
MAX_IDS = 10_000  # items named in one request (a longer SQL IN list fails on SQLite)
PREVIEW_WIDTH = 1600  # the inspector's large preview: the widest JPEG within this


def read_json(request) -> dict:
    """The JSON object sent, with NUL characters gone (PostgreSQL refuses them in text)."""
    try:
        data = json.loads(request.body or b"{}")
    except RecursionError as exc:
        raise BadRequest("The JSON sent is nested too deeply.") from exc
    except ValueError as exc:  # not UTF-8, not JSON, or a number too long to read
        raise BadRequest(f"The request is not JSON: {exc}"[:200]) from exc
    if not isinstance(data, dict):
        raise BadRequest("The request must be a JSON object ({…}).")
    return {k: v.replace("\x00", "") if isinstance(v, str) else v for k, v in data.items()}


def endpoint(*methods: str, reads_json: bool = False):
    """A JSON endpoint of the studio, answering ``methods``. With ``reads_json`` the view is
    handed the object sent, read before anything is looked up: an unreadable body is answered
    400 with the reason, even when the essay or item it names does not exist."""

    def decorate(view):
        @wraps(view)
        def reading(request, *args, **kwargs):
            if reads_json:
                return view(request, read_json(request), *args, **kwargs)
            return view(request, *args, **kwargs)

        return studio_view(require_http_methods(methods)(reading))

    return decorate


def _row_id(value) -> bool:
    """Whether ``value`` could be a row's number: JSON gives any size of integer, and one
    past 64 bits makes the database driver raise instead of finding nothing."""
    return type(value) is int and 0 < value < 2**63


def _ids(data: dict) -> list[int]:
    """The item numbers sent as ``ids``; no more than an essay could have."""
    ids = data.get("ids", [])
    if not isinstance(ids, list) or not all(_row_id(i) for i in ids):
        raise BadRequest("ids must be a list of item numbers.")
    if len(ids) > MAX_IDS:
        raise BadRequest(f"At most {MAX_IDS:,} items at a time.")
    return ids


def _set_fields(instance, data: dict, fields: dict[str, str]) -> list[str]:
    """Copy the ``fields`` (JSON name: model field) present in ``data`` onto ``instance``,
    each checked by its model field (type, length, URL)."""
    changed = []
    for key, name in fields.items():
        if key in data:
            if not isinstance(data[key], str):
                raise BadRequest(f"{key} must be text.")
            value = data[key].strip() if name.endswith("_url") else data[key]
            try:
                setattr(instance, name, instance._meta.get_field(name).clean(value, instance))
            except ValidationError as exc:
                raise BadRequest(" ".join(exc.messages)) from exc
            changed.append(name)
    return changed


def item_data(item: StoryItem) -> dict:
    """An item as the editor shows it, with the addresses its row sends to."""
    data = {
        "id": item.pk,
        "kind": item.kind,
        "position": item.position,
        "save_url": reverse("studio:save_item", args=[item.pk]),
    }
    if item.kind == StoryItem.Kind.TEXT:
        return data | {"body": item.body}
    photo = item.photo
    assert photo is not None  # an item that is not text is a photo
    thumb = next(iter(photo.srcsets().get("jpeg", [])), None)
    preview = photo.rendition_within(PREVIEW_WIDTH)
    return data | {
        "photo": photo.pk,
        "filename": uploaded_as(item),
        "status": photo.status,
        "reason": photo.failure_reason,
        "thumb": thumb.url if thumb else "",
        "preview": preview.url if preview else "",
        # As displayed: after the file's orientation and the author's rotation.
        "width": photo.width,
        "height": photo.height,
        "rotation": photo.rotation,
        "rotate_url": reverse("studio:rotate", args=[item.pk]),
        "is_cover": item.story.cover_id == photo.pk,
        "caption": item.caption,
        "alt": item.alt_text,
        # Text the file gave, shown as such until the author changes it.
        "caption_from_file": bool(item.caption) and item.caption == photo.file_caption,
        "alt_from_file": bool(item.alt_text) and item.alt_text == photo.file_alt_text,
        "has_alt": not item.lacks_alt_text,
        "licence_url": item.licence_url,
        "layout": item.layout,
        "group_with_next": item.group_with_next,
        "group_caption": item.group_caption,
        "captured": photo.captured_at.isoformat() if photo.captured_at else "",
        "retry_url": reverse("studio:retry", args=[item.pk]),
    }


@endpoint("POST", reads_json=True)
def save_essay(request, data, pk):
    story = get_object_or_404(Story, pk=pk)
    changed = _set_fields(story, data, {field: field for field in ESSAY_FIELDS})
    for field in ESSAY_SWITCHES & data.keys():
        if not isinstance(data[field], bool):
            raise BadRequest(f"{field} must be true or false.")
        setattr(story, field, data[field])
        changed.append(field)
    if "cover" in data:
        cover = data["cover"]
        chosen = _row_id(cover) and story.items.filter(photo_id=cover).first()
        if not chosen:
            raise BadRequest("The cover must be a photo of this essay.")
        story.cover_id = cover
        changed.append("cover")
    if not story.title.strip():
        raise BadRequest("An essay needs a title.")
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


@endpoint("POST", reads_json=True)
def save_item(request, data, pk):
    item = get_object_or_404(StoryItem.objects.select_related("story"), pk=pk)
    fields = {"caption": "caption", "alt": "alt_text", "licence_url": "licence_url"}
    if item.kind == StoryItem.Kind.TEXT:
        fields["body"] = "body"
    else:  # an unknown layout is refused here, by the field's choices
        fields |= {"layout": "layout", "group_caption": "group_caption"}
    changed = _set_fields(item, data, fields)
    if "group_with_next" in data:
        if not isinstance(data["group_with_next"], bool):
            raise BadRequest("group_with_next must be true or false.")
        try:
            items = list(item.story.items.only("pk", "photo_id", "group_with_next"))
            item.group_with_next = grouping.grouped(items, item, data["group_with_next"])
        except grouping.GroupRefused as exc:
            raise BadRequest(str(exc)) from exc
        changed.append("group_with_next")
    # Only what was sent is written: the editor saves a photo's fields in separate requests
    # that may be in flight together, and a whole-row save would undo the other's change.
    item.save(update_fields=changed)
    publishing.changed(item.story, user=request.user)
    return JsonResponse({"saved": True, "item": item_data(item)})


def _before(story: Story, data: dict) -> int | None:
    """The item of ``story`` named by ``before``, if sent: where something new goes."""
    if data.get("before") is None:
        return None
    before = data["before"]
    if not (_row_id(before) and story.items.filter(pk=before).exists()):
        raise BadRequest("before must be the number of an item of this essay.")
    return before


@endpoint("POST", reads_json=True)
def add_text(request, data, pk):
    story = get_object_or_404(Story, pk=pk)
    before = _before(story, data)
    item = add_passage(story, [] if before is None else [before])
    return JsonResponse({"item": item_data(item)}, status=201)


@endpoint("POST", reads_json=True)
def delete_items(request, data, pk):
    story = get_object_or_404(Story, pk=pk)
    # A photo this was the last essay of is taken down, files and all (photos.removal).
    deleted, _ = story.items.filter(pk__in=_ids(data)).delete()
    story.keep_cover()
    grouping.settle(story)
    publishing.changed(story, user=request.user)
    return JsonResponse({"deleted": deleted})


@endpoint("POST", reads_json=True)
def order(request, data, pk):
    story = get_object_or_404(Story, pk=pk)
    try:
        reorder(story, _ids(data))
    except (TypeError, ValueError) as exc:
        raise BadRequest(str(exc)) from exc
    publishing.changed(story, user=request.user)
    return JsonResponse({"saved": True})


@endpoint("GET")
def status(request, pk):
    story = get_object_or_404(Story, pk=pk)
    items = story.items.for_page().select_related("uploaded_name")
    return JsonResponse({"items": [item_data(i) for i in items]})


@endpoint("POST")
def retry(request, pk):
    items = StoryItem.objects.select_related("photo", "story")
    item = get_object_or_404(items, pk=pk, kind="photo")
    jobs.rebuild(Photo.objects.filter(pk=item.photo_id))
    item.photo.refresh_from_db()
    return JsonResponse({"item": item_data(item)})


@endpoint("POST", reads_json=True)
def rotate(request, data, pk):
    item = get_object_or_404(StoryItem.objects.select_related("story"), pk=pk, kind="photo")
    turn = data.get("turn")
    if not isinstance(turn, str) or turn not in edits.TURNS:
        raise BadRequest('turn must be "left" or "right".')
    item.photo = edits.turn(item.photo_id, turn)
    return JsonResponse({"item": item_data(item)})


@endpoint("POST", reads_json=True)
def upload_start(request, data, pk):
    story = get_object_or_404(Story, pk=pk)
    if not isinstance(data.get("size"), int):
        raise BadRequest("size must be a number of bytes.")
    try:
        upload = uploads.start(
            story,
            filename=str(data.get("name", "")),
            size=data["size"],
            checksum=str(data.get("checksum", "")),
            user=request.user,
            before=_before(story, data),
        )
    except (uploads.UploadError, ValueError) as exc:
        raise BadRequest(str(exc)) from exc
    if upload is None:
        return JsonResponse({"duplicate": True})
    url = reverse("studio:upload_chunk", args=[upload.pk])  # where its chunks go
    return JsonResponse({"id": str(upload.pk), "offset": 0, "url": url}, status=201)


@endpoint("GET", "PUT")
def upload_chunk(request, upload_id):
    upload = get_object_or_404(Upload, pk=upload_id)
    if request.method == "GET":
        return JsonResponse({"offset": upload.received, "size": upload.size})
    try:
        upload = uploads.receive(upload, request.headers.get("Content-Range", ""), request.body)
    except uploads.WrongOffset as exc:
        return JsonResponse({"error": str(exc), "offset": exc.expected}, status=409)
    except uploads.UploadError as exc:
        raise BadRequest(str(exc)) from exc
    if not upload.complete:
        return JsonResponse({"offset": upload.received})
    outcome = uploads.finish(upload)
    if outcome.retry:  # the editor asks where to go on from, and sends the end again
        return JsonResponse({"error": outcome.error, "offset": upload.received}, status=503)
    if outcome.error:
        return JsonResponse({"error": outcome.error}, status=422)
    if outcome.duplicate:
        return JsonResponse({"duplicate": True})
    return JsonResponse({"item": item_data(outcome.item)}, status=201)
