"""The author's moderation desk in the admin, shared by comments and links back.

Both are held as pending, approved, spam or trash; the admin shows how many wait and approves,
marks as spam or trashes them in bulk. What a decision does is the moderation service's.
"""

from django.contrib import admin, messages
from django.utils.text import capfirst

from . import moderation
from .models import Comment


class ModerationAdmin(admin.ModelAdmin):
    actions = ["approve", "mark_spam", "trash"]

    def changelist_view(self, request, extra_context=None):
        pending = self.model.objects.pending().count()
        waiting = self.model.Status.PENDING.label
        title = f"{capfirst(self.model._meta.verbose_name_plural)} ({pending} {waiting})"
        return super().changelist_view(request, {**(extra_context or {}), "title": title})

    def moderate(self, queryset, status) -> int:
        """Give every selected row ``status``, through the service; returns how many."""
        return moderation.set_status(queryset, status)

    def _decide(self, request, queryset, status, verb):
        count = self.moderate(queryset, status)
        plural = self.model._meta.verbose_name_plural
        self.message_user(request, f"{verb} {count} {plural}.", messages.SUCCESS)

    @admin.action(description="Approve the selected %(verbose_name_plural)s")
    def approve(self, request, queryset):
        self._decide(request, queryset, self.model.Status.APPROVED, "Approved")

    @admin.action(description="Mark the selected %(verbose_name_plural)s as spam")
    def mark_spam(self, request, queryset):
        self._decide(request, queryset, self.model.Status.SPAM, "Marked as spam")

    @admin.action(description="Move the selected %(verbose_name_plural)s to the trash")
    def trash(self, request, queryset):
        self._decide(request, queryset, self.model.Status.TRASH, "Trashed")

    def save_model(self, request, obj, form, change):
        status = obj.status
        if "status" in form.changed_data:
            obj.status = form.initial["status"]  # the new one is the service's to give
        super().save_model(request, obj, form, change)
        if obj.status != status:
            self.moderate(self.model.objects.filter(pk=obj.pk), status)
            obj.status = status

    def delete_model(self, request, obj):
        moderation.delete(self.model.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        moderation.delete(queryset)

    def has_add_permission(self, request):
        return False


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
        "photo",  # not a choice among every photo of the site: the one it was written about
        "parent",
        "depth",
        "user",
        "author_via",
        "author_name",
        "author_email",
        "author_url",
        "body",
        "reasons",  # in words, not the stored JSON list
        "ip_address",
        "user_agent",
        "created_at",
    ]
    exclude = ["body_html", "moderation_reasons"]

    @admin.display(description="comment")
    def short_body(self, comment):
        return comment.body[:80]

    @admin.display(description="why held")
    def reasons(self, comment):
        return "; ".join(comment.moderation_reasons)

    def moderate(self, queryset, status) -> int:
        return moderation.moderate(queryset, status)
