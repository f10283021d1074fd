"""The author's moderation desk in the admin, shared by comments and links back.

Both are held as pending, approved, spam or trash; the admin shows how many wait and approves,
marks as spam or trashes them in bulk. What else a decision does is the model admin's own
``moderate``.
"""

from django.contrib import admin, messages
from django.utils.text import capfirst

from filmstrip.stories import publishing


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
        # Readers see a difference where an approved row goes or a row becomes approved.
        shown = self.model.Status.APPROVED
        changing = queryset.exclude(status=status)
        if status != shown:
            changing = changing.filter(status=shown)
        stories = set(changing.values_list("story_id", flat=True))
        count = self.moderate(queryset, status)
        publishing.discussion_changed(stories)  # once per essay, however many rows
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
        super().save_model(request, obj, form, change)
        shown = self.model.Status.APPROVED
        if "status" in form.changed_data and shown in (form.initial.get("status"), obj.status):
            publishing.discussion_changed([obj.story_id])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        if obj.status == self.model.Status.APPROVED:
            publishing.discussion_changed([obj.story_id])

    def delete_queryset(self, request, queryset):
        shown = queryset.filter(status=self.model.Status.APPROVED)
        stories = set(shown.values_list("story_id", flat=True))
        super().delete_queryset(request, queryset)
        publishing.discussion_changed(stories)

    def has_add_permission(self, request):
        return False
