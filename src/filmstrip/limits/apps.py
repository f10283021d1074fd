from django.apps import AppConfig


class LimitsConfig(AppConfig):
    name = "filmstrip.limits"
    label = "limits"
    verbose_name = "Limits"
