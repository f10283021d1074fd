from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "filmstrip.cli"
    label = "filmstrip_cli"
    verbose_name = "Command line"
