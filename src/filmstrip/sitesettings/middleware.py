"""The site settings are read once per request however often a page asks (one query, not one
per photo), and never kept longer: another process may have saved new ones."""

from .models import read_once


class SiteSettingsPerRequest:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with read_once():
            return self.get_response(request)
