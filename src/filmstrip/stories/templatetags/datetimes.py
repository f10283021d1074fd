"""{{ when|iso }}: a date and time for machines (datetime attributes), to the second.

Django's "c" format keeps microseconds, which HTML's datetime attribute does not accept.
Loaded as a template builtin (project settings), so every template has it.
"""

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def iso(value) -> str:
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()
