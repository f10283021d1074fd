"""The essay's address and tags, and deleting it, from the editor. Each change goes through
stories.publishing, as the admin's do: an old address keeps leading to the essay (or answers
410 Gone once it is deleted), and the pages that list it are rebuilt."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from filmstrip.columns import clip
from filmstrip.stories import publishing
from filmstrip.stories.models import Story, Tag

from .access import studio_view


def tag_names(text: str) -> list[str]:
    """The tags typed, separated by commas: each once (whatever its case), none empty."""
    names: dict[str, str] = {}
    for name in text.split(","):
        name = clip(Tag, "name", " ".join(name.split()))
        if name and slugify(name, allow_unicode=True):
            names.setdefault(name.casefold(), name)
    return list(names.values())


def _tag(name: str) -> Tag:
    """The tag of that name (or address) if there is one, else a new one."""
    slug = slugify(name, allow_unicode=True)
    return Tag.objects.filter(Q(name__iexact=name) | Q(slug=slug)).first() or Tag.objects.create(
        name=name
    )


def set_address_and_tags(story: Story, slug: str, tags: str, *, user=None) -> None:
    """Give ``story`` the address ``slug`` and the ``tags`` typed; ValidationError says why
    an address cannot be had."""
    slug = story._meta.get_field("slug").clean(slug.strip(), story)
    if Story.objects.exclude(pk=story.pk).filter(slug=slug).exists():
        raise ValidationError(f"Another essay has the address “{slug}”; choose another.")
    before = publishing.seen(story.pk)
    had = set(story.tags.values_list("slug", flat=True))
    with transaction.atomic():
        story.slug = slug
        story.save(update_fields=["slug", "modified_at"])
        story.tags.set([_tag(name) for name in tag_names(tags)])
    has = set(story.tags.values_list("slug", flat=True))
    publishing.saved(story, before, user=user, edited=has != had)
    dropped = had - has
    if dropped and story.is_published:  # tag pages that listed it no longer do
        publishing.announce(None, old_paths=[p for t in dropped for p in publishing.tag_paths(t)])


@studio_view
@require_POST
def address_and_tags(request, pk):
    story = get_object_or_404(Story, pk=pk)
    try:
        set_address_and_tags(
            story, request.POST.get("slug", ""), request.POST.get("tags", ""), user=request.user
        )
    except ValidationError as exc:
        messages.error(request, f"Not saved: {' '.join(exc.messages)}")
    else:
        messages.success(request, "Address and tags saved.")
    return redirect("studio:editor", pk=pk)


@studio_view
@require_POST
def delete_essay(request, pk):
    story = get_object_or_404(Story, pk=pk)
    if request.POST.get("sure") != "yes":
        messages.error(request, "Nothing was deleted: tick the box to say you are sure.")
        return redirect("studio:editor", pk=pk)
    title, known = story.title, story.is_published or story.is_withdrawn
    publishing.delete(story)
    gone = " Readers who follow a link to it are told it is gone." if known else ""
    messages.success(request, f"“{title}” was deleted.{gone}")
    return redirect("studio:list")
