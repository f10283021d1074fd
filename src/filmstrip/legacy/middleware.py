"""Old links answered where Filmstrip has nothing of its own (see links.py)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .links import answer
from .paths import ID_QUERIES


class OldLinksMiddleware:
    """On a 404, an old address leads on; ``/?p=ID`` (and its kin) before the home page, which
    would otherwise answer it. Every other request passes without a query."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == "/" and _names_a_post(request.META.get("QUERY_STRING", "")):
            moved = answer(request)
            if moved is not None:
                return moved
        response = self.get_response(request)
        if response.status_code == 404:
            return answer(request) or response
        return response


def _names_a_post(query: str) -> bool:
    return bool(query) and any(f"{name}=" in query for name in ID_QUERIES)
