"""Every file in the hostile corpus, through intake and processing, ends in a clear state."""

import pytest

from filmstrip.imaging import ImageError
from filmstrip.photos import jobs, processing
from filmstrip.photos.intake import add_photo
from filmstrip.photos.models import Photo
from tests.conftest import BAD

pytestmark = pytest.mark.django_db


def test_every_hostile_file_is_refused_or_ends_ready_or_failed():
    files = sorted(p for p in BAD.rglob("*") if p.is_file())
    assert len(files) > 500
    refused = {}
    for path in files:
        try:
            photo, created = add_photo(path)
        except ImageError as exc:
            refused[path.name] = str(exc)
            continue
        if created:
            processing.process_photo(photo.pk)
    assert all(refused.values()), "every refusal says why"

    assert set(Photo.objects.values_list("status", flat=True)) <= {"ready", "failed"}
    failed = Photo.objects.filter(status="failed")
    assert failed.exists() and not failed.filter(failure_reason="").exists()
    assert Photo.objects.filter(status="ready").exists()
    # The worker's rendering child is alive and still serves photos after all of that.
    healthy = Photo.objects.filter(status="ready").first()
    jobs.rebuild(Photo.objects.filter(pk=healthy.pk))
    assert processing.process_photo(healthy.pk) == "ready"
