"""Who may use the studio, and how a request it refuses is answered."""

from functools import wraps

from django.conf import settings as django_settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


class BadRequest(Exception):
    """A request the studio refuses; its message says why, for the script to show."""


def studio_view(view):
    """Signed-in staff only (through the admin's sign-in), never cached; a refused request is
    answered 400 with the reason in JSON, as the script expects, not a server error."""

    @wraps(view)
    def refusing_bad_requests(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except RequestDataTooBig:
            limit = django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            error = f"The request is larger than the limit of {limit:,} bytes."
        except BadRequest as exc:
            error = str(exc)
        return JsonResponse({"error": error}, status=400)

    return staff_member_required(never_cache(refusing_bad_requests))
