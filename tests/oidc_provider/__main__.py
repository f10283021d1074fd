"""Run the provider: ``python -m tests.oidc_provider PORT CLIENT_ID SECRET REDIRECT_URI``.

Creates its database, one user (rosa / rosa-password) and one confidential client, then serves
on 127.0.0.1:PORT until killed.
"""

import os
import sys

import django
from django.core.management import call_command

USERNAME, PASSWORD = "rosa", "rosa-password"


def main(port: str, client_id: str, secret: str, redirect_uri: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    django.setup()
    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    User.objects.create_user(
        USERNAME, "rosa@example.org", PASSWORD, first_name="Rosa", last_name="Lind"
    )
    Application.objects.create(
        name="Filmstrip",
        client_id=client_id,
        client_secret=secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True)


if __name__ == "__main__":
    main(*sys.argv[1:5])
