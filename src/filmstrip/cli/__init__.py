"""The ``filmstrip`` command: Django's management commands with Filmstrip's settings.

``filmstrip serve``, ``filmstrip worker``, ``filmstrip import folder``, ``filmstrip demo`` and any
Django command (``filmstrip migrate``, ``filmstrip createsuperuser``) alike.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filmstrip.project.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 (reads the settings: a bad environment stops here)
    except ImproperlyConfigured as exc:
        sys.exit(f"filmstrip: {exc}")

    try:
        execute_from_command_line(["filmstrip", *(sys.argv[1:] if argv is None else argv)])
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`filmstrip photos status | head`): stop quietly, as Unix tools
        # do, instead of a traceback; stdout is pointed at /dev/null so the exit flush is silent.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(141)  # 128 + SIGPIPE, what a shell reports for a tool stopped by a closed pipe
