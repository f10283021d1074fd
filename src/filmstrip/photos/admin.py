from django.contrib import admin, messages
from django.utils.html import format_html

from . import jobs
from .models import Photo, Rendition


class RenditionInline(admin.TabularInline):
    model = Rendition
    extra = 0
    can_delete = False
    fields = readonly_fields = ("format", "width", "height", "size_bytes", "name")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = [
        "preview",
        "original_filename",
        "status",
        "failure_reason",
        "captured_at",
        "dimensions",
        "created_at",
    ]
    list_display_links = ["preview", "original_filename"]
    list_filter = ["status", "format", "camera_model"]
    search_fields = ["original_filename", "description", "title", "checksum"]
    readonly_fields = [
        "preview",
        "original_filename",
        "checksum",
        "size_bytes",
        "format",
        "width",
        "height",
        "rotation",  # turned in the studio, which makes the renditions again (photos.edits)
        "captured_at",
        "description",
        "title",
        "embedded_alt_text",
        "creator",
        "copyright",
        "camera_make",
        "camera_model",
        "placeholder_color",
        "status",
        "failure_reason",
        "attempts",
        "status_changed_at",
        "created_at",
    ]
    exclude = ["original"]
    inlines = [RenditionInline]
    actions = ["process_again"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("renditions")

    @admin.display(description="")
    def preview(self, photo):
        small = next(iter(photo.srcsets().get("jpeg", [])), None)
        if small is None:
            return format_html(
                '<span style="display:inline-block;width:80px;height:{}px;background:{}"></span>',
                round(80 / photo.aspect_ratio),
                photo.placeholder_color or "#ccc",
            )
        return format_html('<img src="{}" width="80" alt="">', small.url)

    @admin.display(description="size")
    def dimensions(self, photo):
        return f"{photo.width}×{photo.height}"

    @admin.action(description="Process the selected photos again")
    def process_again(self, request, queryset):
        count = jobs.rebuild(queryset)
        self.message_user(request, f"{count} photo(s) queued for processing.", messages.SUCCESS)

    def has_add_permission(self, request):
        return False  # photos come in through an essay or an import, with their metadata read
