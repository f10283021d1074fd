from django.contrib import admin, messages

from . import classifier
from .models import Comment
from .tasks import send_reply_notice


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "author_name",
        "author_via",
        "story",
        "status",
        "short_body",
        "reasons",
        "created_at",
    ]
    list_filter = ["status", "story"]
    search_fields = ["author_name", "author_email", "body"]
    readonly_fields = [
        "story",
        "parent",
        "depth",
        "user",
        "author_via",
        "author_name",
        "author_email",
        "author_url",
        "body",
        "moderation_reasons",
        "ip_address",
        "user_agent",
        "created_at",
    ]
    exclude = ["body_html"]
    actions = ["approve", "mark_spam", "trash"]

    def changelist_view(self, request, extra_context=None):
        pending = Comment.objects.pending().count()
        extra_context = {
            **(extra_context or {}),
            "title": f"Comments ({pending} awaiting moderation)",
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description="comment")
    def short_body(self, comment):
        return comment.body[:80]

    @admin.display(description="why held")
    def reasons(self, comment):
        return "; ".join(comment.moderation_reasons)

    def _set(self, request, queryset, status, verb):
        # Each decision also teaches the spam filter: approved is good, spam is spam.
        lesson = {Comment.Status.APPROVED: "ham", Comment.Status.SPAM: "spam"}.get(status)
        count = 0
        for comment in queryset:
            held = comment.status == Comment.Status.PENDING
            comment.status = status
            comment.save(update_fields=["status"])
            classifier.learn(comment, lesson)
            if held and status == Comment.Status.APPROVED and comment.parent_id:
                send_reply_notice.enqueue(comment.pk)  # the reply is public only now
            count += 1
        self.message_user(request, f"{verb} {count} comment(s).", messages.SUCCESS)

    @admin.action(description="Approve the selected comments")
    def approve(self, request, queryset):
        self._set(request, queryset, Comment.Status.APPROVED, "Approved")

    @admin.action(description="Mark the selected comments as spam")
    def mark_spam(self, request, queryset):
        self._set(request, queryset, Comment.Status.SPAM, "Marked as spam")

    @admin.action(description="Move the selected comments to the trash")
    def trash(self, request, queryset):
        self._set(request, queryset, Comment.Status.TRASH, "Trashed")

    def has_add_permission(self, request):
        return False
