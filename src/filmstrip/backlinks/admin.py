from django.contrib import admin, messages

from filmstrip.comments.admin import ModerationAdmin

from .models import Backlink, SentMention
from .tasks import verify_backlink


@admin.register(Backlink)
class BacklinkAdmin(ModerationAdmin):
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
    actions = [*ModerationAdmin.actions, "check_again"]

    @admin.display(description="source")
    def label(self, backlink):
        return backlink.label[:80]

    @admin.display(description="why")
    def note(self, backlink):
        return backlink.verification_note[:80]

    @admin.action(description="Check the selected sources again")
    def check_again(self, request, queryset):
        count = 0
        for backlink in queryset:
            verify_backlink.enqueue(backlink.pk)
            count += 1
        self.message_user(request, f"Queued {count} check(s).", messages.SUCCESS)


@admin.register(SentMention)
class SentMentionAdmin(admin.ModelAdmin):
    list_display = ["target", "story", "protocol", "status_code", "result", "sent_at"]
    list_filter = ["protocol", "story"]
    search_fields = ["target", "endpoint", "result"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
