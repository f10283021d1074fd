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
