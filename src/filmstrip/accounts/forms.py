"""The authors' sign-in form: the admin's (staff only, inactive accounts refused) in our words."""

from django.contrib.admin.forms import AdminAuthenticationForm


class AuthorSignInForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": (
            "That login name and password do not open an author's account. Both are case-sensitive."
        ),
    }
