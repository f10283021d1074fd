"""benchmarks/wordpress_import.py: its export and uploads import whole, every photo placed."""

import pytest
from benchmarks.wordpress_import import make_photos, write_export

from filmstrip.migration.wordpress.importer import import_wordpress
from filmstrip.stories.models import StoryItem
from tests.conftest import DEMO_PHOTOS


@pytest.mark.django_db
def test_the_generated_export_imports_whole(tmp_path):
    photos = make_photos(tmp_path / "photos", 12, sorted(DEMO_PHOTOS.glob("*.jpg"))[:3])
    write_export(tmp_path / "export.xml", tmp_path / "uploads", photos)
    report = import_wordpress(tmp_path / "export.xml", media=tmp_path / "uploads")
    assert report.problems == [] and report["photos", "created"] == 12
    assert StoryItem.objects.photos().count() == 12 and report["comments", "created"] == 24
