"""Requests whose address carries a NUL character are refused before any view sees them.

No address of the site has one, and PostgreSQL refuses NUL in text: a slug or a search term with
one would otherwise end as a server error wherever it reaches a query.
"""

from urllib.parse import unquote

from django.http import HttpResponseBadRequest


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            return HttpResponseBadRequest(
                "The address contains a NUL character, which no address here has.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
