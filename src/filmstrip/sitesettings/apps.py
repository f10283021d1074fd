from django.apps import AppConfig


class SiteSettingsConfig(AppConfig):
    name = "filmstrip.sitesettings"
    label = "sitesettings"
    verbose_name = "Site settings"
