from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from filmstrip.accounts import models as authors


class Command(BaseCommand):
    help = "Show or set the name an author is published under (never their login name)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="the author's login name")
        parser.add_argument("--display-name", help="the name readers will see")

    def handle(self, *args, username, display_name=None, **options):
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist as exc:
            raise CommandError(f"No user named {username!r}.") from exc
        if display_name is not None:
            if not display_name.strip():
                raise CommandError("The display name may not be empty.")
            authors.set_display_name(user, display_name)
        self.stdout.write(f"{username} is published as: {authors.display_name(user)}")
