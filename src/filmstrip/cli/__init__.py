"""The ``filmstrip`` command: Django's management commands with Filmstrip's settings.

``filmstrip serve``, ``filmstrip worker``, ``filmstrip import folder``, ``filmstrip demo`` and any
Django command (``filmstrip migrate``, ``filmstrip createsuperuser``) alike.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filmstrip.project.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["filmstrip", *(sys.argv[1:] if argv is None else argv)])
