from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "filmstrip.cli"
    label = "filmstrip_cli"
    verbose_name = "Command line"

    def ready(self):
        # The settings' start-up checks, run by `filmstrip serve`, `worker`, `check` and the rest.
        from filmstrip import checks  # noqa: F401
