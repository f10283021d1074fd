"""Every file in the hostile corpus, through intake and processing, ends in a clear state."""

import pytest

from filmstrip.imaging import ImageError
from filmstrip.photos import jobs, processing
from filmstrip.photos.intake import add_photo
from filmstrip.photos.models import Photo
from tests.conftest import HAVE_CORPUS, corpus_file, corpus_sweep

pytestmark = pytest.mark.django_db


def test_every_hostile_file_is_refused_or_ends_ready_or_failed():
    files = sorted(p for p in corpus_sweep("bad").rglob("*") if p.is_file())
    assert len(files) > (500 if HAVE_CORPUS else 200)  # the stand-in corpus's, without it
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


def test_pngsuite_corrupt_files_fail_and_every_valid_png_is_published():
    """PngSuite names its deliberately broken files with an x (bad signature, CRC, colour type,
    bit depth, missing IDAT): each must end refused or failed. Every other file in it is a valid
    PNG of some kind (bit depths 1-16, palettes, transparency, interlacing, gamma, odd sizes)
    and must be published."""
    suite = corpus_file("bad/pngsuite")
    outcomes = {}
    for path in sorted(suite.glob("*.png")):
        try:
            photo, _ = add_photo(path)
        except ImageError as exc:
            outcomes[path.name] = f"refused: {exc}"
            continue
        processing.process_photo(photo.pk)
        photo.refresh_from_db()
        outcomes[path.name] = f"{photo.status}: {photo.failure_reason}"
    corrupt = {name: o for name, o in outcomes.items() if name.startswith("x")}
    valid = {name: o for name, o in outcomes.items() if not name.startswith("x")}
    assert len(corrupt) == 14 and len(valid) > 150
    published = {name for name, o in corrupt.items() if o.startswith("ready")}
    assert not published, f"corrupt files published: {sorted(published)}"
    unpublished = {name: o for name, o in valid.items() if not o.startswith("ready")}
    assert not unpublished, f"valid PNGs not published: {unpublished}"
    # Each reason is for an author: no server paths, no libvips internals.
    for name, outcome in corrupt.items():
        assert str(suite) not in outcome and "Vips" not in outcome, outcome
        assert "memory" not in outcome, f"{name}: damage reported as memory: {outcome}"
