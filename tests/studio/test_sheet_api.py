"""The contact sheet's requests: what an item tells the sheet, passages and dropped files placed
before an item, and turning a photo (an edit: the original's bytes never change)."""

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from filmstrip.photos.intake import add_photo
from filmstrip.photos.models import Photo
from filmstrip.photos.processing import process_photo
from filmstrip.stories import publishing
from filmstrip.stories.models import Story, StoryItem
from filmstrip.studio.models import Dropped, Upload
from tests.made import scene

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(author):
    return Story.objects.create(title="Dunes", author=author)


@pytest.fixture
def picture(tmp_path):
    """A JPEG of ``width``×``height`` made here, different for every ``seed``."""

    def make(width=64, height=48, seed=0):
        path = tmp_path / f"picture-{width}x{height}-{seed}.jpg"
        scene(width, height, seed).save(path, quality=80)
        return path

    return make


@pytest.fixture
def items(story, picture):
    """``n`` photo items of ``story``, in order, processed only if asked (it costs time)."""

    def make(n, processed=False):
        made = []
        for i in range(n):
            photo, _ = add_photo(picture(seed=len(made) + 100 * story.items.count() + i))
            if processed:
                process_photo(photo.pk)
            made.append(
                StoryItem.objects.create(story=story, position=story.next_position(), photo=photo)
            )
        return made

    return make


def order_of(story) -> list[int]:
    return list(story.items.order_by("position", "pk").values_list("pk", flat=True))


def post(client, url, body=None):
    return client.post(url, body if body is not None else {}, content_type="application/json")


# --- what an item tells the sheet ---------------------------------------------------------


def test_a_photo_item_gives_its_size_preview_rotation_and_whether_it_is_the_cover(
    client, story, items, picture, settings
):
    settings.FILMSTRIP_RENDITION_WIDTHS = [320, 800, 1200, 1600, 2400]
    big, _ = add_photo(picture(2000, 1000))
    process_photo(big.pk)
    first = StoryItem.objects.create(story=story, position=0, photo=big)
    (second,) = items(1)  # not processed yet
    story.cover = big
    story.save()

    listed = {i["id"]: i for i in client.get(f"/studio/{story.pk}/status").json()["items"]}
    shown = listed[first.pk]
    assert (shown["width"], shown["height"], shown["rotation"]) == (2000, 1000, 0)
    assert shown["is_cover"] is True and listed[second.pk]["is_cover"] is False
    assert shown["preview"].endswith(".jpg") and "-1600w-" in shown["preview"]
    assert shown["rotate_url"] == f"/studio/items/{first.pk}/rotate"
    waiting = listed[second.pk]
    assert waiting["preview"] == "" and (waiting["width"], waiting["height"]) == (64, 48)

    # The cover moves, and the sheet hears it from any answer that carries the item.
    assert post(client, f"/studio/{story.pk}/save", {"cover": second.photo_id}).status_code == 200
    saved = post(client, f"/studio/items/{first.pk}/save", {"caption": "x"}).json()["item"]
    assert saved["is_cover"] is False


def test_a_small_photo_previews_at_its_own_size(client, story, items):
    (item,) = items(1, processed=True)
    shown = client.get(f"/studio/{story.pk}/status").json()["items"][0]
    assert "-64w-" in shown["preview"] and shown["thumb"] == shown["preview"]
    assert item.photo.renditions.filter(format="jpeg").count() == 1


# --- a passage where the author wants it --------------------------------------------------


def test_a_passage_goes_before_the_item_named_and_later_items_move_on(client, story, items):
    made = items(5)
    response = post(client, f"/studio/{story.pk}/text", {"before": made[3].pk})
    assert response.status_code == 201
    passage = response.json()["item"]
    assert passage["kind"] == "text" and passage["position"] == 3
    assert order_of(story) == [*(i.pk for i in made[:3]), passage["id"], made[3].pk, made[4].pk]


def test_a_passage_before_the_first_item_and_with_positions_tied(client, story, items):
    made = items(3)
    StoryItem.objects.filter(pk__in=[made[1].pk, made[2].pk]).update(position=1)  # an old tie
    tied = post(client, f"/studio/{story.pk}/text", {"before": made[2].pk}).json()["item"]
    assert order_of(story) == [made[0].pk, made[1].pk, tied["id"], made[2].pk]
    first = post(client, f"/studio/{story.pk}/text", {"before": made[0].pk}).json()["item"]
    assert order_of(story)[0] == first["id"]


def test_a_passage_put_into_a_group_ends_the_group_before_it(client, story, items):
    made = items(3)
    StoryItem.objects.filter(pk__in=[made[0].pk, made[1].pk]).update(group_with_next=True)
    post(client, f"/studio/{story.pk}/text", {"before": made[2].pk})
    joined = dict(story.items.values_list("pk", "group_with_next"))
    assert joined[made[0].pk] and not joined[made[1].pk], "no group runs across a passage"


@pytest.mark.parametrize("body", [None, {}, {"before": None}])
def test_a_passage_without_a_place_goes_at_the_end(client, story, items, body):
    made = items(2)
    url = f"/studio/{story.pk}/text"
    response = client.generic("POST", url) if body is None else post(client, url, body)
    assert response.status_code == 201
    assert order_of(story) == [made[0].pk, made[1].pk, response.json()["item"]["id"]]


@pytest.mark.parametrize(
    "before", ["ITEM", "1", True, 1.0, 0, -1, 2**63, 2**64, [1], {"id": 1}, "other"]
)
def test_a_passage_before_anything_but_an_item_of_this_essay_is_refused(
    client, story, items, before
):
    (mine,) = items(1)
    other = Story.objects.create(title="Other", author=User.objects.create_user("bo"))
    theirs = StoryItem.objects.create(story=other, kind="text", body="theirs")
    if isinstance(before, str) and before in ("ITEM", "other"):
        before = {"ITEM": str(mine.pk), "other": theirs.pk}[before]
    response = post(client, f"/studio/{story.pk}/text", {"before": before})
    assert response.status_code == 400 and "before" in response.json()["error"]
    assert story.items.count() == 1 and other.items.count() == 1


def test_a_passage_of_an_unreadable_body_is_refused(client, story):
    response = client.post(f"/studio/{story.pk}/text", b"[1,", content_type="application/json")
    assert response.status_code == 400 and not story.items.exists()


# --- files dropped between two items ------------------------------------------------------


def send(client, story, path, before=None):
    """Start an upload of ``path`` (dropped before item ``before``); its chunk URL and bytes."""
    data = path.read_bytes()
    body = {"name": path.name, "size": len(data)}
    if before is not None:
        body["before"] = before
    started = post(client, f"/studio/{story.pk}/uploads", body)
    assert started.status_code == 201, started.content
    return started.json()["url"], data


def finish(client, url, data):
    response = client.put(
        url,
        data,
        content_type="application/octet-stream",
        HTTP_CONTENT_RANGE=f"bytes 0-{len(data) - 1}/{len(data)}",
    )
    assert response.status_code == 201, response.content
    return response.json()["item"]["id"]


def test_files_dropped_before_an_item_land_there_in_the_order_they_were_sent(
    client, story, items, picture
):
    made = items(4)
    # Three files dropped between the 2nd and 3rd photos; they finish in another order.
    started = [send(client, story, picture(80, 60, seed), before=made[2].pk) for seed in (1, 2, 3)]
    second = finish(client, *started[1])
    third = finish(client, *started[2])
    first = finish(client, *started[0])
    assert order_of(story) == [
        made[0].pk,
        made[1].pk,
        first,
        second,
        third,
        *(i.pk for i in made[2:]),
    ]
    # A file sent without a place goes where its capture time puts it: at the end here.
    plain = finish(client, *send(client, story, picture(80, 60, 9)))
    assert order_of(story)[-1] == plain


def test_a_file_dropped_before_an_item_deleted_meanwhile_goes_at_the_end(
    client, story, items, picture
):
    made = items(3)
    url, data = send(client, story, picture(80, 60, 5), before=made[1].pk)
    assert post(client, f"/studio/{story.pk}/delete", {"ids": [made[1].pk]}).json() == {
        "deleted": 1
    }
    new = finish(client, url, data)
    assert order_of(story) == [made[0].pk, made[2].pk, new]


@pytest.mark.parametrize("before", ["1", True, 2.5, -3, 0, 2**64, [1], "other", "missing"])
def test_an_upload_dropped_before_anything_but_an_item_of_this_essay_is_refused(
    client, story, items, before
):
    items(1)
    theirs = StoryItem.objects.create(
        story=Story.objects.create(title="Other", author=User.objects.create_user("cy")),
        kind="text",
    )
    if isinstance(before, str) and before in ("other", "missing"):
        before = {"other": theirs.pk, "missing": theirs.pk + 1000}[before]
    response = post(
        client, f"/studio/{story.pk}/uploads", {"name": "a.jpg", "size": 10, "before": before}
    )
    assert response.status_code == 400 and "before" in response.json()["error"]
    assert not Upload.objects.exists()


def test_where_dropped_files_went_is_forgotten_after_a_day(client, story, items, picture):
    (item,) = items(1)
    new = finish(client, *send(client, story, picture(80, 60, 7), before=item.pk))
    assert Dropped.objects.filter(item_id=new).exists()
    Dropped.objects.update(started_at=timezone.now() - timedelta(days=2))
    send(client, story, picture(80, 60, 8))  # starting an upload sweeps
    assert not Dropped.objects.exists()


# --- turning a photo ----------------------------------------------------------------------


def sha256(photo: Photo) -> str:
    with photo.original.open("rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def test_turning_a_photo_is_an_edit_its_renditions_made_again_under_new_names(
    client, story, picture, announced
):
    photo, _ = add_photo(picture(120, 80, 3))
    process_photo(photo.pk)
    item = StoryItem.objects.create(story=story, position=0, photo=photo, alt_text="Dunes")
    publishing.publish(story)
    photo.refresh_from_db()
    original = sha256(photo)
    old_names = set(photo.renditions.values_list("name", flat=True))

    answer = post(client, f"/studio/items/{item.pk}/rotate", {"turn": "right"})
    assert answer.status_code == 200
    turned = answer.json()["item"]
    assert (turned["rotation"], turned["width"], turned["height"]) == (90, 80, 120)
    assert turned["status"] == "pending" and turned["preview"] == turned["thumb"] == ""
    photo.refresh_from_db()
    assert not photo.renditions.exists(), "nothing shows the old way round at the new size"

    announced.clear()
    assert process_photo(photo.pk) == "ready"
    assert announced and announced[0]["story"] == story, "the published pages are rebuilt"
    new = {(r.name, r.width, r.height) for r in photo.renditions.all()}
    assert {(w, h) for _, w, h in new} == {(80, 120)}
    assert not old_names & {name for name, _, _ in new}, "a cached old name never shows it turned"
    assert sha256(photo) == original and photo.checksum == original

    # Two turns left make it upside down from where it was.
    post(client, f"/studio/items/{item.pk}/rotate", {"turn": "left"})
    back = post(client, f"/studio/items/{item.pk}/rotate", {"turn": "left"}).json()["item"]
    assert (back["rotation"], back["width"], back["height"]) == (270, 80, 120)


@pytest.mark.parametrize(
    "body", [{}, {"turn": "up"}, {"turn": 90}, {"turn": None}, {"turn": ["left"]}]
)
def test_a_turn_other_than_left_or_right_is_refused(client, story, items, body):
    (item,) = items(1)
    response = post(client, f"/studio/items/{item.pk}/rotate", body)
    assert response.status_code == 400 and "turn" in response.json()["error"]
    item.photo.refresh_from_db()
    assert item.photo.rotation == 0


def test_a_passage_cannot_be_turned_and_only_post_turns(client, story, items):
    passage = StoryItem.objects.create(story=story, kind="text", body="Words")
    assert post(client, f"/studio/items/{passage.pk}/rotate", {"turn": "left"}).status_code == 404
    (item,) = items(1)
    assert client.get(f"/studio/items/{item.pk}/rotate").status_code == 405


def test_a_photo_turned_while_it_is_processed_is_processed_again(client, story, items, monkeypatch):
    from filmstrip.photos import processing

    (item,) = items(1)
    render = processing.Sandbox.render

    def turned_meanwhile(self, *args, **kwargs):
        result = render(self, *args, **kwargs)
        if not getattr(turned_meanwhile, "done", False):
            turned_meanwhile.done = True
            post(client, f"/studio/items/{item.pk}/rotate", {"turn": "right"})
        return result

    monkeypatch.setattr(processing.Sandbox, "render", turned_meanwhile)
    assert process_photo(item.photo_id) == "turned"
    photo = Photo.objects.get(pk=item.photo_id)
    assert photo.status == "pending" and not photo.renditions.exists()
    assert process_photo(photo.pk) == "ready"
    assert {(r.width, r.height) for r in photo.renditions.all()} == {(48, 64)}
