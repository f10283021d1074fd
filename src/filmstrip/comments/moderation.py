"""The author's moderation desk in the admin, shared by comments and links back.

Both are held as pending, approved, spam or trash; the admin shows how many wait and approves,
marks as spam or trashes them in bulk. What else a decision does is the model admin's own
``moderate``.
"""

from django.contrib import admin, messages
from django.utils.text import capfirst


class ModerationAdmin(admin.ModelAdmin):
    actions = ["approve", "mark_spam", "trash"]

    def changelist_view(self, request, extra_context=None):
        pending = self.model.objects.pending().count()
        title = f"{capfirst(self.model._meta.verbose_name_plural)} ({pending} awaiting moderation)"
        return super().changelist_view(request, {**(extra_context or {}), "title": title})

    def moderate(self, queryset, status) -> int:
        """Give every selected row ``status``; returns how many."""
        return queryset.update(status=status)

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

    def has_add_permission(self, request):
        return False
