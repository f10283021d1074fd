from django.contrib import admin, messages

from .models import Backlink, SentMention
from .tasks import verify_backlink


@admin.register(Backlink)
class BacklinkAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "story", "status", "verification", "note", "received_at"]
    list_filter = ["status", "verification", "kind", "story"]
    search_fields = ["source", "source_host", "title", "author_name"]
    readonly_fields = [
        "kind",
        "story",
        "photo",
        "source",
        "target",
        "verification",
        "verification_note",
        "title",
        "author_name",
        "author_url",
        "excerpt",
        "sender_ip",
        "created_at",
        "received_at",
        "verified_at",
    ]
    actions = ["approve", "mark_spam", "trash", "check_again"]

    def changelist_view(self, request, extra_context=None):
        pending = Backlink.objects.pending().count()
        extra_context = {
            **(extra_context or {}),
            "title": f"Links back ({pending} awaiting moderation)",
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description="source")
    def label(self, backlink):
        return backlink.label[:80]

    @admin.display(description="why")
    def note(self, backlink):
        return backlink.verification_note[:80]

    def _set(self, request, queryset, status, verb):
        count = queryset.update(status=status)
        self.message_user(request, f"{verb} {count} link(s) back.", messages.SUCCESS)

    @admin.action(description="Approve the selected links back")
    def approve(self, request, queryset):
        self._set(request, queryset, Backlink.Status.APPROVED, "Approved")

    @admin.action(description="Mark the selected links back as spam")
    def mark_spam(self, request, queryset):
        self._set(request, queryset, Backlink.Status.SPAM, "Marked as spam")

    @admin.action(description="Move the selected links back to the trash")
    def trash(self, request, queryset):
        self._set(request, queryset, Backlink.Status.TRASH, "Trashed")

    @admin.action(description="Check the selected sources again")
    def check_again(self, request, queryset):
        count = 0
        for backlink in queryset:
            verify_backlink.enqueue(backlink.pk)
            count += 1
        self.message_user(request, f"Queued {count} check(s).", messages.SUCCESS)

    def has_add_permission(self, request):
        return False


@admin.register(SentMention)
class SentMentionAdmin(admin.ModelAdmin):
    list_display = ["target", "story", "protocol", "status_code", "result", "sent_at"]
    list_filter = ["protocol", "story"]
    search_fields = ["target", "endpoint", "result"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
