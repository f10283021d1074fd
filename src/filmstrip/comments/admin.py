from django.contrib import admin

from . import classifier
from .models import Comment
from .moderation import ModerationAdmin
from .tasks import send_reply_notice


@admin.register(Comment)
class CommentAdmin(ModerationAdmin):
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

    @admin.display(description="comment")
    def short_body(self, comment):
        return comment.body[:80]

    @admin.display(description="why held")
    def reasons(self, comment):
        return "; ".join(comment.moderation_reasons)

    def moderate(self, queryset, status) -> int:
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
        return count
