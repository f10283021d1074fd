from django.contrib import admin

from .models import OldAddress


@admin.register(OldAddress)
class OldAddressAdmin(admin.ModelAdmin):
    """The old site's addresses an import kept, to look one up or point it elsewhere."""

    list_display = ["path", "leads_to", "story", "photo", "tag", "remembered_at"]
    list_filter = ["leads_to"]
    search_fields = ["path"]
    raw_id_fields = ["story", "photo", "tag"]
    list_select_related = ["story", "photo", "tag"]
