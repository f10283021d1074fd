"""The studio's Site settings page: the author's choices for the whole site, autosaved field by
field like the essay editor. Staff only."""

import json

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.text import capfirst
from django.views.decorators.http import require_GET, require_POST

from filmstrip.sitesettings.models import SiteSettings, current, update
from filmstrip.stories import publishing

from .access import BadRequest, studio_view


@studio_view
@require_GET
def page(request):
    chosen = current()
    fields = {field.name: field for field in SiteSettings._meta.fields}
    return render(request, "studio/site_settings.html", {"chosen": chosen, "fields": fields})


@studio_view
@require_POST
def save(request):
    """Save the settings sent (a JSON object, field name: value); a change readers see
    rebuilds the published site."""
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, RecursionError) as exc:
        raise BadRequest("The request is not a JSON object of settings.") from exc
    if not isinstance(data, dict):
        raise BadRequest("The request is not a JSON object of settings.")
    try:
        saved = update(data, then=publishing.site_changed)
    except ValidationError as error:
        return JsonResponse(_refusal(error.message_dict), status=400)
    return JsonResponse({"saved": saved.changed, "rebuilding": saved.public})


def _refusal(errors: dict[str, list[str]]) -> dict:
    """Each reason under its field's name, for the page to show beside the field, and in one
    line naming the fields, for the save-state line."""
    names = {field.name: field.verbose_name for field in SiteSettings._meta.fields}
    line = " ".join(
        f"{capfirst(names.get(name, name))}: {' '.join(reasons)}"
        for name, reasons in errors.items()
    )
    return {"error": line, "errors": errors}
