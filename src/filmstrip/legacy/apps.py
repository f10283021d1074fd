from django.apps import AppConfig


class LegacyConfig(AppConfig):
    name = "filmstrip.legacy"
    label = "legacy"  # not "redirects": that is django.contrib.redirects' label
    verbose_name = "Old links"
