import pytest
from django.core.management import call_command

from filmstrip.migration.folder import FolderError, import_folder
from filmstrip.photos.models import Photo
from filmstrip.stories.models import Story

pytestmark = pytest.mark.django_db

NATURE = "photos/immich-test-assets/albums/nature"


@pytest.fixture
def trip(photo_folder):
    # Names chosen so that file-name order differs from capture order.
    photo_folder.add(f"{NATURE}/tanners_ridge.jpg", "a-ridge.jpg")  # 2023-09-25
    photo_folder.add(f"{NATURE}/prairie_falcon.jpg", "b-falcon.jpg")  # 2022-03-31
    photo_folder.add(f"{NATURE}/cyclamen_persicum.jpg", "c-cyclamen.jpg")  # 2007-12-06
    photo_folder.add(f"{NATURE}/silver_fir.jpg", "e-fir.jpg")  # no date
    photo_folder.add(f"{NATURE}/wood_anemones.jpg", "d-anemones.jpg")  # no date
    photo_folder.add("photos/exif-py/jpg/xmp/no_exif.jpg", "f-goalie.jpg")  # 2013, XMP caption
    photo_folder.add("photos/immich-test-assets/formats/webp/denali.webp", "g-denali.webp")
    return photo_folder


def test_a_folder_becomes_an_essay_in_capture_order_with_embedded_captions(trip):
    result = import_folder(trip.path, title="Walks", publish=True)
    story = result.story
    assert result.story_created and story.is_published and not result.failed
    items = list(story.items.select_related("photo"))
    names = [item.photo.original_filename for item in items]
    assert names == [
        "c-cyclamen.jpg",
        "g-denali.webp",
        "f-goalie.jpg",
        "b-falcon.jpg",
        "a-ridge.jpg",
        "d-anemones.jpg",
        "e-fir.jpg",
    ]
    captions = {item.photo.original_filename: item.caption for item in items}
    assert captions["b-falcon.jpg"].startswith("Adult female prairie falcon")
    assert captions["f-goalie.jpg"] == "Der Goalie bin ig"
    assert captions["a-ridge.jpg"] == "Fall 2023 Week 3"
    assert captions["d-anemones.jpg"] == ""
    assert all(item.alt_text == "" for item in items)  # alt text is the author's to write
    assert story.cover == items[0].photo


def test_running_the_same_import_again_adds_nothing(trip):
    first = import_folder(trip.path, title="Walks")
    again = import_folder(trip.path, title="Walks")
    assert again.story.pk == first.story.pk and not again.story_created
    assert again.added == [] and len(again.already_in_essay) == 7
    assert first.story.items.count() == 7 and Photo.objects.count() == 7
    trip.add(f"{NATURE}/notocactus_minimus.jpg", "h-cactus.jpg")
    third = import_folder(trip.path, title="Walks")
    assert third.added == ["h-cactus.jpg"] and first.story.items.count() == 8


def test_bad_files_are_reported_by_name_and_the_rest_imported(trip, photo_folder):
    falcon = (photo_folder.path / "b-falcon.jpg").read_bytes()
    photo_folder.write("empty.jpg", b"")
    photo_folder.write("notes.txt", b"Remember the sunscreen.")
    photo_folder.write("lying.png", b"GIF89a not really")
    photo_folder.write("truncated.jpg", falcon[: len(falcon) // 3])
    photo_folder.write(
        "drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="5" height="5"/>'
    )
    photo_folder.write("IMG_0001.xmp", b"<x:xmpmeta/>")  # a sidecar: skipped quietly
    photo_folder.write(".DS_Store", b"\x00\x00\x00\x01Bud1")
    photo_folder.add("bad/exif-py/jpg/corrupted.jpg")
    reported = []
    result = import_folder(trip.path, title="Walks", on_file=lambda *r: reported.append(r))
    failed = dict(result.failed)
    assert set(failed) == {"empty.jpg", "notes.txt", "lying.png", "drawing.svg"}
    assert "empty" in failed["empty.jpg"]
    assert "not an image" in failed["notes.txt"]
    assert "SVG files are not accepted" in failed["drawing.svg"]
    assert ("notes.txt", "failed", failed["notes.txt"]) in reported
    # A file whose header reads fine but whose pixels are damaged is imported and fails
    # in processing, where the author sees it marked failed with the reason.
    assert "truncated.jpg" in result.added and "corrupted.jpg" in result.added
    assert result.story.items.count() == 9


def test_not_a_folder(tmp_path):
    with pytest.raises(FolderError, match="is not a folder"):
        import_folder(tmp_path / "missing", title="x")


def test_the_command_reports_each_failure(trip, photo_folder, capsys):
    photo_folder.write("notes.txt", b"not a photo")
    call_command("import", "folder", str(trip.path), "--title", "Walks", "--publish")
    out, err = capsys.readouterr()
    assert "failed   notes.txt: not an image Filmstrip can read" in err
    assert "7 photo(s) added, 0 already there, 1 failed" in out
    assert Story.objects.get().is_published
