"""The essay page draws photos as the author laid them out: alone in a layout, in groups, under
a cover header, on a mood's background; every photo no taller than the screen."""

import pytest
from benchmarks.essay_fixture import build_essay
from bs4 import BeautifulSoup

from filmstrip.photos.models import Photo
from filmstrip.stories.models import Story, StoryItem
from tests.test_layout import at_1x

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    """Twelve ready 3:2 photos, a passage after the tenth: rows only, no image pipeline."""
    story = build_essay(photos=12, comments=0, slug="rows")
    Photo.objects.filter(story_items__story=story).update(width=4000, height=2667)
    return story


def items(story) -> list[StoryItem]:
    return list(story.items.select_related("photo"))


def page(client, story) -> BeautifulSoup:
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def portrait(item: StoryItem) -> None:
    Photo.objects.filter(pk=item.photo_id).update(width=2000, height=3000)


def group(*members: StoryItem, caption: str = "") -> None:
    for item in members[:-1]:
        item.group_with_next = True
        item.save()
    members[0].group_caption = caption
    members[0].save()


def test_a_portrait_is_drawn_and_fetched_at_its_height_limited_width(client, story):
    first, second = items(story)[:2]
    portrait(second)
    html = page(client, story)
    landscape = html.find(id=first.anchor)
    standing = html.find(id=second.anchor)
    assert landscape["style"] == "--r:1.5" and standing["style"] == "--r:0.6667"
    # The width a browser is told is what the stylesheet draws: the column, or less where
    # the photo would be taller than the viewport less its caption line.
    assert at_1x(standing.img["sizes"]) == (
        "(min-width: 72rem) min(70rem, (100vh - 4.5rem) * 0.6667), "
        "min(100vw, (100vh - 4.5rem) * 0.6667)"
    )
    assert {s["sizes"] for s in standing.find_all("source")} == {standing.img["sizes"]}
    assert "* 1.5)" in landscape.img["sizes"]


def test_text_width_and_full_bleed_photos(client, story):
    first, second, third = items(story)[:3]
    StoryItem.objects.filter(pk=first.pk).update(layout="text")
    StoryItem.objects.filter(pk=third.pk).update(layout="full")
    html = page(client, story)
    assert html.find(id=first.anchor)["class"] == ["photo", "layout-text"]
    assert at_1x(html.find(id=first.anchor).img["sizes"]).startswith(
        "(min-width: 38rem) min(35.5rem, "
    )
    assert html.find(id=second.anchor)["class"] == ["photo"]
    assert html.find(id=third.anchor)["class"] == ["photo", "layout-full"]
    assert at_1x(html.find(id=third.anchor).img["sizes"]) == "min(100vw, (100vh - 4.5rem) * 1.5)"


def test_a_group_is_one_row_whose_shares_follow_the_aspect_ratios(client, story):
    row = items(story)[1:4]
    portrait(row[1])
    group(*row)
    html = page(client, story)
    drawn = html.find(class_="group")
    assert drawn.name == "div" and drawn["style"] == "--r:3.666;--n:3"
    # On a phone these three become a column (their ratios sum past 2).
    assert drawn["class"] == ["group", "stacks"]
    figures = drawn.find_all("figure", class_="photo")
    assert [f["id"] for f in figures] == [item.anchor for item in row]
    assert [f["style"] for f in figures] == ["--r:1.5", "--r:0.6667", "--r:1.5"]
    assert at_1x(figures[1].img["sizes"]) == (
        "(max-width: 40rem) min(100vw, (100vh - 4.5rem) * 0.6667), "
        "(min-width: 72rem) min((70rem - 1.5rem) * 0.1818, (100vh - 4.5rem) * 0.6667), "
        "min((100vw - 1.5rem) * 0.1818, (100vh - 4.5rem) * 0.6667)"
    )
    # Each photo keeps its caption, number and actions.
    assert all(f.figcaption and f.find(class_="permalink") for f in figures)


def test_two_portraits_stay_a_row_on_a_phone_and_share_a_caption(client, story):
    pair = items(story)[:2]
    for item in pair:
        portrait(item)
    group(*pair, caption="Two *views*, an hour apart.")
    drawn = page(client, story).find(class_="group")
    assert drawn.name == "figure" and drawn["class"] == ["group"]
    assert str(drawn.find("figcaption", class_="group-caption")) == (
        '<figcaption class="group-caption">Two <em>views</em>, an hour apart.</figcaption>'
    )
    assert "(max-width: 40rem)" not in drawn.img["sizes"]


def test_a_group_is_drawn_in_its_first_photos_layout(client, story):
    pair = items(story)[:2]
    group(*pair)
    StoryItem.objects.filter(pk=pair[0].pk).update(layout="full")
    StoryItem.objects.filter(pk=pair[1].pk).update(layout="text")
    drawn = page(client, story).find(class_="group")
    assert drawn["class"] == ["group", "layout-full", "stacks"]
    assert [f["class"] for f in drawn.find_all("figure")] == [["photo"], ["photo"]]
    assert drawn.img["sizes"].endswith("min((100vw - 0.75rem) * 0.5, (100vh - 4.5rem) * 1.5)")


def test_a_stored_group_across_a_passage_never_reaches_the_page(client, story):
    everything = items(story)
    passage = next(i for i, item in enumerate(everything) if item.kind == "text")
    before = everything[passage - 1]
    StoryItem.objects.filter(pk=before.pk).update(group_with_next=True)
    StoryItem.objects.filter(pk=everything[-1].pk).update(group_with_next=True)  # of one
    html = page(client, story)
    assert html.find(class_="group") is None
    assert len(html.find_all("figure", class_="photo")) == 12


def test_a_processing_photo_in_a_group_keeps_the_row_height(client, story):
    pair = items(story)[:2]
    group(*pair)
    Photo.objects.filter(pk=pair[1].photo_id).update(status=Photo.Status.PENDING)
    pair[1].photo.renditions.all().delete()
    figure = page(client, story).find(id=pair[1].anchor)
    assert figure.parent["class"] == ["group", "stacks"]
    # Its placeholder has the photo's shape, and its share of the row is its ratio's.
    assert figure["style"] == "--r:1.5"
    assert "aspect-ratio:4000/2667" in figure.find(class_="photo-pending")["style"]


def test_the_lightbox_walks_grouped_photos_in_the_essays_order(client, story):
    row = items(story)[2:6]
    group(*row)
    html = page(client, story)
    walked = [a["data-permalink"] for a in html.select("figure.photo a.zoom")]
    photos = [i.photo_id for i in items(story) if i.photo_id]
    assert walked == [f"/rows/photos/{pk}/" for pk in photos]
    assert [a.text for a in html.select(".photo-actions .permalink")] == [
        f"Photo {n}" for n in range(1, 13)
    ]


def test_the_cover_header_sets_the_title_over_the_cover_shown_once(client, story):
    Story.objects.filter(pk=story.pk).update(cover_header=True)
    html = page(client, story)
    first = items(story)[0]
    cover = html.select_one("article > figure.photo.cover")
    assert cover["id"] == first.anchor and cover["class"] == ["photo", "layout-full", "cover"]
    assert cover.select_one(".cover-frame > h1.p-name.cover-title").text == story.title
    assert len(html.find_all("h1")) == 1
    assert len(html.find_all(id=first.anchor)) == 1  # not again in the essay's body
    assert cover.img["fetchpriority"] == "high" and cover.find(class_="permalink").text == "Photo 1"
    assert at_1x(cover.img["sizes"]) == "min(100vw, (100vh - 4.5rem) * 1.5)"


def test_a_cover_further_on_is_the_headers_picture_and_stays_in_place(client, story):
    third = items(story)[2]
    Story.objects.filter(pk=story.pk).update(cover_header=True, cover=third.photo_id)
    html = page(client, story)
    cover = html.select_one("article > div.cover")
    assert cover.img["alt"] == ""  # the same photo follows, described, in its place
    assert cover.h1.text == story.title and len(html.find_all("h1")) == 1
    assert html.find(id=third.anchor).img["alt"] == third.alt_text


def test_no_cover_header_while_the_cover_is_processed(client, story):
    first = items(story)[0]
    first.photo.renditions.all().delete()
    Story.objects.filter(pk=story.pk).update(cover_header=True)
    html = page(client, story)
    assert html.find(class_="cover") is None
    assert html.select_one("header.essay-head > h1.p-name").text == story.title


def test_the_gallery_mood_darkens_the_essay(client, story):
    assert page(client, story).article["class"] == ["essay", "h-entry"]
    Story.objects.filter(pk=story.pk).update(mood="gallery")
    assert page(client, story).article["class"] == ["essay", "h-entry", "mood-gallery"]


def test_nothing_in_the_head_holds_up_the_first_paint(client, story):
    # The page's styles are inline; the lightbox links its own (lightbox.js) when it runs.
    head = page(client, story).head
    assert head.find_all("link", rel="stylesheet") == []
    assert head.find_all("script", src=True) == []
