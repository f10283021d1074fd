from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "filmstrip.accounts"
    label = "accounts"
    verbose_name = "Authors"
