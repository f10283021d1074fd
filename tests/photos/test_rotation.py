"""Turning a photo: the author's rotation comes after the file's own orientation, turns every
rendition (animations frame by frame) and gives the renditions names of their own."""

import pytest
import pyvips
from PIL import Image

from filmstrip.imaging import RenditionSpec, Rights, render
from filmstrip.photos.naming import checksum_prefix, rendition_name
from tests.made import ORIENTATION, scene

RED = (230, 20, 20)
CORNERS = ("top left", "top right", "bottom right", "bottom left")  # clockwise


def marked(width: int, height: int) -> Image.Image:
    """A picture with a red square in its top left corner, as a reader should see it."""
    picture = Image.new("RGB", (width, height), (90, 120, 90))
    picture.paste(RED, (0, 0, width // 4, height // 4))
    return picture


def red_corner(image: pyvips.Image) -> str:
    w, h = image.width, image.height
    at = {"top left": (2, 2), "top right": (w - 3, 2), "bottom right": (w - 3, h - 3)}
    at["bottom left"] = (2, h - 3)
    found = [c for c, (x, y) in at.items() if image.crop(x, y, 1, 1).getpoint(0, 0)[0] > 180]
    assert len(found) == 1, found
    return found[0]


def specs(*widths, formats=("jpeg", "webp")):
    return [RenditionSpec(w, f, 90) for w in widths for f in formats]


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
@pytest.mark.parametrize("orientation", [1, 6, 3])
def test_the_turn_comes_after_the_files_own_orientation(tmp_path, rotation, orientation):
    shown = marked(300, 200)
    # Stored so that the EXIF orientation makes it ``shown``: 6 is stored turned a quarter left.
    stored = {1: shown, 6: shown.transpose(Image.Transpose.ROTATE_90), 3: shown.rotate(180)}
    path = tmp_path / "marked.jpg"
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    stored[orientation].save(path, quality=95, exif=exif.tobytes())

    result = render(path, specs(100, 250), rotation=rotation)
    turned = rotation in (90, 270)
    for image in result.images:
        decoded = pyvips.Image.new_from_buffer(image.data, "")
        assert red_corner(decoded) == CORNERS[rotation // 90]
        assert (decoded.width, decoded.height) == (image.width, image.height)
        # Widths are those of the photo as turned, never wider than it.
        assert image.width == min(image.spec.width, 200 if turned else 300)
        assert image.height == round(image.width * (300 / 200 if turned else 200 / 300))


def test_an_animation_turns_frame_by_frame(tmp_path):
    path = tmp_path / "moving.gif"
    frames = [marked(60, 40) for _ in range(3)]
    for n, frame in enumerate(frames):
        frame.paste((20, 20, 230), (40, 30 - n * 10, 50, 40 - n * 10))  # a blue dot moving up
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=80, loop=0)

    (webp,) = render(path, specs(480, formats=("webp",)), rotation=90).images
    decoded = pyvips.Image.new_from_buffer(webp.data, "", n=-1)
    assert decoded.get("n-pages") == 3 and decoded.get("page-height") == 60
    assert (webp.width, webp.height, decoded.width) == (40, 60, 40)
    for page in range(3):
        assert red_corner(decoded.crop(0, page * 60, 40, 60)) == "top right"


def test_a_heif_photo_turns_within_the_width_asked(tmp_path):
    pillow_heif = pytest.importorskip("pillow_heif")
    path = tmp_path / "wide.heic"
    pillow_heif.from_pillow(marked(320, 160)).save(path, quality=90)
    result = render(path, specs(100, formats=("jpeg",)), rotation=270)
    decoded = pyvips.Image.new_from_buffer(result.images[0].data, "")
    assert (decoded.width, decoded.height) == (100, 200)
    assert red_corner(decoded) == "bottom left"


@pytest.mark.parametrize("rotation", [45, -90, 360, "90", None])
def test_only_quarter_turns_are_made(tmp_path, rotation):
    path = tmp_path / "still.jpg"
    scene(40, 30).save(path)
    with pytest.raises(ValueError, match="rotation"):
        render(path, specs(40), rotation=rotation)


def test_a_turned_photo_has_names_of_its_own_and_an_unturned_one_keeps_its_old_ones():
    checksum = "ab" * 32
    spec, rights = RenditionSpec(480, "webp", 80), Rights(creator="Ann")
    plain = rendition_name(checksum, spec, rights)
    assert plain == f"r/ab/{'ab' * 16}-{rights.digest}-{spec.key}"  # as before rotation was
    names = {rendition_name(checksum, spec, rights, r) for r in (0, 90, 180, 270)}
    assert len(names) == 4
    assert {checksum_prefix(name) for name in names} == {checksum[:32]}


@pytest.mark.django_db
def test_the_admin_shows_the_turn_but_leaves_turning_to_the_studio(admin_client, tmp_path):
    from filmstrip.photos.intake import add_photo

    path = tmp_path / "still.jpg"
    scene(40, 30).save(path)
    photo, _ = add_photo(path)
    page = admin_client.get(f"/admin/photos/photo/{photo.pk}/change/").content.decode()
    # A turn typed here would leave the size and the renditions the old way round.
    assert "Rotation" in page and 'name="rotation"' not in page


@pytest.mark.django_db
def test_the_files_of_the_old_orientation_go_with_the_next_prune(tmp_path):
    from datetime import timedelta

    from django.contrib.auth.models import User
    from django.core.files.storage import default_storage

    from filmstrip.photos import edits
    from filmstrip.photos.intake import add_photo
    from filmstrip.photos.processing import process_photo
    from filmstrip.photos.pruning import prune
    from filmstrip.stories.models import Story, StoryItem

    path = tmp_path / "still.jpg"
    scene(60, 40).save(path)
    photo, _ = add_photo(path)
    process_photo(photo.pk)
    story = Story.objects.create(title="Kept", author=User.objects.create_user("ann"))
    StoryItem.objects.create(story=story, photo=photo)
    upright = set(photo.renditions.values_list("name", flat=True))

    edits.turn(photo.pk, "left")
    assert all(default_storage.exists(name) for name in upright), "kept for cached pages"
    process_photo(photo.pk)
    turned = set(photo.renditions.values_list("name", flat=True))
    pruned = prune(grace=timedelta(0), apply=True)
    assert {item.name for item in pruned.items} == upright
    assert not any(default_storage.exists(name) for name in upright)
    assert all(default_storage.exists(name) for name in turned)
    assert default_storage.exists(photo.original.name)
