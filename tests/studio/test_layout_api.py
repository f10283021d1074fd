"""The editor's requests for an essay's layout: each photo's layout, groups, the cover header and
the mood; refused with a reason where the essay cannot have them; kept by revisions."""

import pytest
from benchmarks.essay_fixture import build_essay

from filmstrip.photos.models import Photo
from filmstrip.stories import grouping, revisions
from filmstrip.stories.models import Story, StoryItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(author):
    """A published essay of 12 ready photos, a passage after the tenth, by the studio's author."""
    story = build_essay(photos=12, comments=0, slug="sheet")
    Story.objects.filter(pk=story.pk).update(author=author)
    return Story.objects.get(pk=story.pk)


def items(story) -> list[StoryItem]:
    return list(story.items.all())


def save_item(client, item, **body):
    return client.post(f"/studio/items/{item.pk}/save", body, content_type="application/json")


def save_essay(client, story, **body):
    return client.post(f"/studio/{story.pk}/save", body, content_type="application/json")


def flags(story) -> str:
    return "".join(
        "t" if i.kind == "text" else "P" if i.group_with_next else "p" for i in items(story)
    )


def test_a_photos_layout_is_saved_and_shown_on_the_page(client, story):
    first = items(story)[0]
    response = save_item(client, first, layout="full")
    assert response.status_code == 200
    assert response.json()["item"]["layout"] == "full"
    page = client.get(story.get_absolute_url()).content.decode()
    assert f'<figure class="photo layout-full" id="{first.anchor}"' in page


@pytest.mark.parametrize("value", ["huge", "", 3, None, "FULL"])
def test_an_unknown_layout_is_refused_and_never_reaches_a_page(client, story, value):
    first = items(story)[0]
    response = save_item(client, first, layout=value)
    assert response.status_code == 400
    assert response.json()["error"]
    first.refresh_from_db()
    assert first.layout == "wide"


def test_grouping_with_the_next_photo_and_a_shared_caption(client, story):
    first, second = items(story)[:2]
    response = save_item(client, first, group_with_next=True, group_caption="Side *by* side")
    assert response.status_code == 200
    data = response.json()["item"]
    assert data["group_with_next"] is True and data["group_caption"] == "Side *by* side"
    page = client.get(story.get_absolute_url()).content.decode()
    assert '<figure class="group stacks" style="--r:' in page
    assert '<figcaption class="group-caption">Side <em>by</em> side</figcaption>' in page
    assert (
        save_item(client, first, group_with_next=False).json()["item"]["group_with_next"] is False
    )


def test_a_group_of_one_is_saved_as_a_single_photo(client, story):
    last = items(story)[-1]
    response = save_item(client, last, group_with_next=True)
    assert response.status_code == 200
    assert response.json()["item"]["group_with_next"] is False


def test_a_group_across_a_text_passage_is_refused_with_a_reason(client, story):
    everything = items(story)
    before_passage = everything[[i.kind for i in everything].index("text") - 1]
    response = save_item(client, before_passage, group_with_next=True)
    assert response.status_code == 400
    assert "across a text passage" in response.json()["error"]
    assert flags(story).count("P") == 0


def test_a_fifth_photo_is_refused(client, story):
    for item in items(story)[:3]:
        assert save_item(client, item, group_with_next=True).status_code == 200
    response = save_item(client, items(story)[3], group_with_next=True)
    assert response.status_code == 400
    assert "at most 4 photos" in response.json()["error"]


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_group_with_next_must_be_true_or_false(client, story, value):
    assert save_item(client, items(story)[0], group_with_next=value).status_code == 400


def test_a_passage_has_no_layout_and_is_never_grouped(client, story):
    passage = next(i for i in items(story) if i.kind == "text")
    assert save_item(client, passage, group_with_next=True).status_code == 400
    save_item(client, passage, layout="full")  # not a passage's field: ignored
    passage.refresh_from_db()
    assert passage.layout == "wide"


def test_moving_a_photo_out_of_a_group_leaves_no_group_across_a_passage(client, story):
    everything = items(story)
    at = [i.kind for i in everything].index("text")
    for item in everything[at - 2 : at - 1]:
        save_item(client, item, group_with_next=True)
    assert flags(story).endswith("pPpt" + "pp")
    # The group's second photo moves to the end: its first would now join the passage.
    moved = everything[at - 1]
    order = [i.pk for i in everything if i != moved] + [moved.pk]
    response = client.post(f"/studio/{story.pk}/order", {"ids": order}, "application/json")
    assert response.status_code == 200
    assert "P" not in flags(story)


def test_deleting_a_grouped_photo_leaves_no_group_of_one(client, story):
    everything = items(story)
    save_item(client, everything[-2], group_with_next=True)
    response = client.post(
        f"/studio/{story.pk}/delete", {"ids": [everything[-1].pk]}, "application/json"
    )
    assert response.status_code == 200
    assert "P" not in flags(story)


def test_the_cover_header_and_mood_are_saved(client, story):
    response = save_essay(client, story, cover_header=True, mood="gallery")
    assert response.status_code == 200
    story.refresh_from_db()
    assert story.cover_header is True and story.mood == "gallery"
    page = client.get(story.get_absolute_url()).content.decode()
    assert '<article class="essay h-entry mood-gallery">' in page
    assert 'class="p-name cover-title"' in page


@pytest.mark.parametrize("body", [{"mood": "neon"}, {"mood": 1}, {"cover_header": "yes"}])
def test_an_unknown_mood_or_a_cover_header_that_is_not_a_switch_is_refused(client, story, body):
    assert save_essay(client, story, **body).status_code == 400
    story.refresh_from_db()
    assert story.mood == "paper" and story.cover_header is False


def test_revisions_keep_the_layout_and_restore_it(client, story, author):
    revisions.record(story, author)
    first, second = items(story)[:2]
    save_item(client, first, layout="text", group_with_next=True, group_caption="Pair")
    save_essay(client, story, cover_header=True, mood="gallery")
    latest = story.revisions.order_by("-created_at", "-pk").first()  # the studio recorded it
    assert "The page's look changed" in latest.summary
    assert "Changed the layout of 1 photo" in latest.summary
    first_revision = story.revisions.order_by("created_at", "pk").first()
    client.post(f"/studio/{story.pk}/history/{first_revision.pk}/restore")
    story.refresh_from_db()
    assert (story.cover_header, story.mood) == (False, "paper")
    assert "P" not in flags(story) and items(story)[0].layout == "wide"
    client.post(f"/studio/{story.pk}/history/{latest.pk}/restore")
    story.refresh_from_db()
    restored = items(story)[0]
    assert (story.cover_header, story.mood) == (True, "gallery")
    assert (restored.layout, restored.group_with_next, restored.group_caption) == (
        "text", True, "Pair",
    )  # fmt: skip


def test_a_revision_from_before_layouts_restores_wide_single_photos(client, story, author):
    revision = revisions.record(story, author)
    for item in revision.snapshot["items"]:
        for key in ("layout", "group_with_next", "group_caption"):
            item.pop(key)
    for key in ("cover_header", "mood"):
        revision.snapshot.pop(key)
    revision.save()
    save_item(client, items(story)[0], layout="full", group_with_next=True)
    save_essay(client, story, mood="gallery")
    client.post(f"/studio/{story.pk}/history/{revision.pk}/restore")
    story.refresh_from_db()
    assert story.mood == "paper" and "P" not in flags(story)
    assert {i.layout for i in items(story)} == {"wide"}
    assert Photo.objects.count() == 12


def test_the_editor_offers_the_cover_header_the_moods_and_each_photos_layout(client, story):
    StoryItem.objects.filter(pk=items(story)[0].pk).update(layout="text", group_with_next=True)
    page = client.get(f"/studio/{story.pk}/").content.decode()
    assert 'name="cover_header" class="essay-switch"' in page
    assert '<option value="gallery">dark gallery</option>' in page
    assert page.count('<option value="text" selected>text width</option>') == 1
    # Every other photo, and the panel a new photo gets, starts wide.
    assert page.count('<option value="wide" selected>wide</option>') == 12
    assert page.count('class="group_with_next" checked') == 1


def test_a_save_writes_only_what_it_was_sent(client, story, monkeypatch):
    """The inspector saves a photo's layout and its grouping in requests that may be in flight
    together: the one that lands last must not put back the other's field as it read it."""
    first = items(story)[0]
    grouped = grouping.grouped

    def meanwhile(*args):  # the layout's request lands while this one is being answered
        assert save_item(client, first, layout="full", caption="*Dawn*").status_code == 200
        return grouped(*args)

    monkeypatch.setattr(grouping, "grouped", meanwhile)
    assert save_item(client, first, group_with_next=True).status_code == 200
    first.refresh_from_db()
    assert (first.layout, first.group_with_next) == ("full", True)
    assert (first.caption, first.caption_html) == ("*Dawn*", "<em>Dawn</em>")
