"""Sliding-window counters: ``take(key, limit, window)`` counts one event unless the limit is
reached. Writes are serialised on SQLite (``BEGIN IMMEDIATE``), so the count is exact there; on
PostgreSQL requests racing each other may pass a limit by the number racing.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import Hit


def take(key: str, limit: int | None, window: timedelta) -> bool:
    """Count one event under ``key`` if fewer than ``limit`` were counted within ``window``.

    Returns False, counting nothing, when the limit is reached; ``limit=None`` means no limit.
    """
    now = timezone.now()
    with transaction.atomic():
        Hit.objects.expired().delete()  # keeps the table as small as the longest window
        if limit is not None and Hit.objects.within(key, now - window).count() >= limit:
            return False
        Hit.objects.create(key=key, at=now, expires=now + window)
    return True


def count(key: str, window: timedelta) -> int:
    """Events counted under ``key`` within ``window``."""
    return Hit.objects.within(key, timezone.now() - window).count()
