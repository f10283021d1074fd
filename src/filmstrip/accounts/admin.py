from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .models import Author


class AuthorInline(admin.StackedInline):
    model = Author
    can_delete = False
    verbose_name_plural = "published as"


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class AuthorUserAdmin(UserAdmin):
    """The usual user admin, with the name readers see beside the login name."""

    inlines = [*UserAdmin.inlines, AuthorInline]
