from django.apps import AppConfig


class WordPressComConfig(AppConfig):
    name = "filmstrip.accounts.wordpresscom"
    label = "wordpresscom"
    verbose_name = "WordPress.com sign-in"
