from django.apps import AppConfig


class MigrationConfig(AppConfig):
    name = "filmstrip.migration"
    label = "migration"
    verbose_name = "Import and export"
