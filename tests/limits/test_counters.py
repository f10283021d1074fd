from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest

from filmstrip.limits.counters import count, take
from filmstrip.limits.models import Hit

pytestmark = pytest.mark.django_db


def test_a_limit_slides_and_old_hits_are_forgotten():
    window = timedelta(minutes=10)
    now = datetime(2026, 1, 1, 12, tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", lambda: now):
        assert [take("k", 3, window) for _ in range(4)] == [True, True, True, False]
        assert take("other", 3, window)  # keys are counted apart
        assert count("k", window) == 3
        now += timedelta(minutes=10, seconds=1)
        assert take("k", 3, window) and count("k", window) == 1
        assert Hit.objects.count() == 1  # the expired ones were deleted on the way
    assert take("unlimited", None, window)
