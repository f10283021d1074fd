"""A WordPress post's photo without a caption of its own takes the file's, but never a camera's
default, even from a photo stored before such defaults were recognised."""

import pytest

from filmstrip.photos.intake import add_photo
from filmstrip.photos.models import Photo
from filmstrip.stories.models import Story
from tests.conftest import DEMO_PHOTOS
from tests.migration.wordpress.test_importer import GALLERY, item, media_items, site, upload_all

pytestmark = pytest.mark.django_db
__all__ = ["site"]  # the fixture


def test_a_stored_photos_camera_default_is_not_the_posts_caption(site, media_storage):
    stored, _ = add_photo(DEMO_PHOTOS / "ridge.jpg")
    Photo.objects.filter(pk=stored.pk).update(description="SONY DSC", embedded_alt_text="null")
    upload_all(site)
    site.write(item(10, "Half Marathon", GALLERY), *media_items())
    site.run()
    ridge = Story.objects.get(slug="half-marathon").items.get(photo=stored)
    assert ridge.caption == ""
    assert ridge.alt_text == "The ridge"  # WordPress's own alt text still wins
