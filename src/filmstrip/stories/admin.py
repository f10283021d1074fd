from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Q
from django.utils.html import format_html

from . import publishing
from .models import Story, StoryItem, Tag, missing_alt_text


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        old_slug = Tag.objects.filter(pk=obj.pk).values_list("slug", flat=True).first()
        super().save_model(request, obj, form, change)
        if change and form.has_changed():
            publishing.tags_changed([old_slug] if old_slug != obj.slug else [])

    def delete_model(self, request, obj):
        slug = obj.slug
        super().delete_model(request, obj)
        publishing.tags_changed([slug])

    def delete_queryset(self, request, queryset):
        slugs = list(queryset.values_list("slug", flat=True))
        super().delete_queryset(request, queryset)
        publishing.tags_changed(slugs)


class StoryItemInline(admin.StackedInline):
    model = StoryItem
    extra = 0
    fields = ["position", "kind", "photo", "photo_status", "caption", "alt_text", "body"]
    readonly_fields = ["photo_status"]
    raw_id_fields = ["photo"]
    ordering = ["position", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("photo")

    @admin.display(description="status")
    def photo_status(self, item):
        if not item.photo_id:
            return "—"
        photo = item.photo
        text = photo.get_status_display()
        if photo.status == photo.Status.FAILED:
            text = f"failed: {photo.failure_reason}"
        alt = " · ⚠ no alt text" if item.lacks_alt_text else ""
        return f"{text}{alt}"


class MissingAltFilter(admin.SimpleListFilter):
    title = "alt text"
    parameter_name = "alt"

    def lookups(self, request, model_admin):
        return [("missing", "some photos lack alt text")]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(missing_alt__gt=0)
        return queryset


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "published_at", "updated_at", "photo_count", "alt_warning"]
    list_filter = ["status", MissingAltFilter]
    search_fields = ["title", "intro"]
    prepopulated_fields = {"slug": ["title"]}
    raw_id_fields = ["cover", "author"]
    filter_horizontal = ["tags"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ["updated_at", "created_at", "modified_at"]
    fields = [
        "title",
        "slug",
        "author",
        "status",
        "published_at",
        "updated_at",
        "intro",
        "licence",
        "licence_url",
        "tags",
        "comments_open",
        "show_photo_details",
        "allow_downloads",
        "share_location",
        "cover",
        "created_at",
        "modified_at",
    ]
    inlines = [StoryItemInline]
    actions = ["publish", "unpublish"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                photos=Count("items", filter=Q(items__kind="photo")),
                missing_alt=Count("items", filter=missing_alt_text("items__")),
            )
        )

    @admin.display(description="photos", ordering="photos")
    def photo_count(self, story):
        return story.photos

    @admin.display(description="alt text")
    def alt_warning(self, story):
        if not story.missing_alt:
            return "✓"
        return format_html('<strong style="color:#b00">⚠ {} missing</strong>', story.missing_alt)

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        # As readers saw it before: publishing decides, once the items are saved too, what
        # this save means (published, rescheduled, renamed, edited) and announces it once.
        form.seen_before = publishing.seen(obj.pk) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        story = form.instance
        edited = form.has_changed() or any(fs.has_changed() for fs in formsets)
        publishing.saved(story, form.seen_before, user=request.user, edited=change and edited)
        missing = story.items.missing_alt_text().count()
        if missing:
            self.message_user(
                request,
                f"{missing} photo(s) in “{story}” have no alt text yet: readers who "
                "cannot see them will not know what they show.",
                messages.WARNING,
            )

    @admin.action(description="Publish the selected essays")
    def publish(self, request, queryset):
        for story in queryset:
            publishing.publish(story, user=request.user)
        self.message_user(request, f"Published {queryset.count()} essay(s).", messages.SUCCESS)

    @admin.action(description="Unpublish the selected essays")
    def unpublish(self, request, queryset):
        for story in queryset:
            publishing.unpublish(story)
        self.message_user(request, f"Unpublished {queryset.count()} essay(s).", messages.SUCCESS)

    def delete_model(self, request, obj):
        publishing.delete(obj)

    def delete_queryset(self, request, queryset):
        for story in queryset:
            publishing.delete(story)
