import pytest
from django.core.files.storage import default_storage

from filmstrip.imaging import RenditionSpec, Rights
from filmstrip.photos.models import stored_url
from filmstrip.photos.naming import rendition_name

CHECKSUM = "5110f491c2f84531305e1104ac2a943e" * 2


@pytest.mark.parametrize("base_url", ["/media/", "/media", "https://cdn.example.org/site/media/"])
def test_rendition_urls_are_the_storages_own(settings, base_url):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": settings.MEDIA_ROOT, "base_url": base_url},
        },
    }
    names = [
        rendition_name(CHECKSUM, spec, Rights(creator="Ann"))
        for spec in (RenditionSpec(480, "webp", 85), RenditionSpec(1600, "jpeg", 82))
    ] + ["r/ab/odd name?#x:y.jpeg", "/r/ab/leading-slash.jpeg", "r/ab/é.webp"]
    for name in names:
        assert stored_url(name) == default_storage.url(name)


def test_other_storages_are_asked_for_their_urls(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    assert stored_url("r/ab/x.jpeg") == default_storage.url("r/ab/x.jpeg")


def _shown(groups):
    return {
        fmt: [(r.name, r.width, r.height, r.size_bytes, r.url) for r in rs]
        for fmt, rs in groups.items()
    }


@pytest.mark.django_db
@pytest.mark.parametrize("batch", [900, 2])
def test_attached_renditions_are_the_prefetched_ones(monkeypatch, batch):
    from benchmarks.essay_fixture import build_essay

    from filmstrip.photos import models
    from filmstrip.photos.models import Photo, attach_renditions

    monkeypatch.setattr(models, "_BATCH", batch)
    story = build_essay(photos=5, comments=0, pending=1)
    ids = list(story.items.values_list("photo_id", flat=True))
    prefetched = list(Photo.objects.filter(pk__in=ids).prefetch_related("renditions"))
    attached = list(Photo.objects.filter(pk__in=ids))
    attach_renditions(attached)
    assert [_shown(p.srcsets()) for p in attached] == [_shown(p.srcsets()) for p in prefetched]
    assert attached[-1].srcsets() == {} and len(attached[0].srcsets()["jpeg"]) == 4
