"""Captions a file gives: never a camera's default, and marked "from the file" in the studio
until the author changes them."""

import re

import pytest

from filmstrip.photos.models import Photo
from filmstrip.stories.assembly import place_photo
from filmstrip.stories.models import Story, StoryItem
from tests.made import DESCRIPTION, MAKE, camera_jpeg, scene
from tests.studio.conftest import FALCON
from tests.studio.test_studio import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(author):
    return Story.objects.create(title="Hills", author=author)


def _marker_shown(html: str, field: str) -> bool:
    label = re.search(rf'<label class="field">{field} <small class="from-file"( hidden)?>', html)
    assert label, f"the {field} field has its marker"
    return label[1] is None


def test_a_camera_default_never_becomes_a_caption(client, story, tmp_path):
    path = tmp_path / "100_0001.JPG"
    camera_jpeg(
        path, scene(64, 48), {DESCRIPTION: "KODAK Digital Still Camera", MAKE: "EASTMAN KODAK"}
    )
    data = path.read_bytes()
    started = client.post(
        f"/studio/{story.pk}/uploads",
        {"name": path.name, "size": len(data)},
        content_type="application/json",
    ).json()
    item = client.put(
        f"/studio/uploads/{started['id']}",
        data,
        content_type="application/octet-stream",
        HTTP_CONTENT_RANGE=f"bytes 0-{len(data) - 1}/{len(data)}",
    ).json()["item"]
    assert (item["caption"], item["caption_from_file"]) == ("", False)
    assert Photo.objects.get().description == ""


def test_a_photo_stored_before_the_rules_gives_no_junk_caption(story):
    photo = Photo.objects.create(
        original_filename="k.jpg",
        checksum="0" * 64,
        size_bytes=1,
        format="jpeg",
        width=4,
        height=3,
        description="KODAK Digital Still Camera",
        embedded_alt_text="null",
    )
    item = place_photo(story, photo)
    assert (item.caption, item.alt_text) == ("", "")


def test_a_caption_from_the_file_is_marked_until_the_author_changes_it(client, story):
    item = upload(client, story, FALCON).json()["item"]
    assert item["caption"].startswith("Adult female prairie falcon")
    assert item["caption_from_file"] and not item["alt_from_file"]
    page = client.get(f"/studio/{story.pk}/").content.decode()
    assert _marker_shown(page, "Caption") and not _marker_shown(page, "Alt text")

    saved = client.post(
        item["save_url"], {"caption": "The falcon leaves"}, content_type="application/json"
    ).json()["item"]
    assert not saved["caption_from_file"]
    page = client.get(f"/studio/{story.pk}/").content.decode()
    assert not _marker_shown(page, "Caption")
    assert StoryItem.objects.get(pk=item["id"]).caption == "The falcon leaves"


def test_the_row_template_hides_the_marker_until_the_server_says(client, story):
    page = client.get(f"/studio/{story.pk}/").content.decode()
    # A new photo's fields are in its panel in the inspector, made from this template.
    template = page.split('<template id="photo-detail">', 1)[1].split("</template>", 1)[0]
    assert template.count('<small class="from-file" hidden>from the file</small>') == 2
