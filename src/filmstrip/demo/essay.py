"""Filmstrip's demo essay: real photos (see CREDITS), with captions and text written by us."""

from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from filmstrip.photos.intake import add_photo
from filmstrip.stories import publishing
from filmstrip.stories.models import Story, StoryItem, Tag

PHOTOS = Path(__file__).parent / "photos"
SLUG = "field-notes"
TITLE = "Field Notes: A Year of Looking Closely"

INTRO = """\
Twelve months, one rule: carry a camera on every walk and stop for anything small. These are the
pages of that notebook, from the first anemones of spring to the last dried flowers of winter.

This is Filmstrip's demo essay. Its photographs are public-domain and
[Creative Commons](https://creativecommons.org/) pictures, credited in the demo's `CREDITS` file;
replace it with your own with `filmstrip import folder ~/Pictures/walk --title "My walk"`.
"""

LICENCE = """\
Use any of these photos you like, under the licence each one carries (public domain, or
[CC BY-SA 3.0](https://creativecommons.org/licenses/by-sa/3.0/) for the nuthatch). But if you do,
please link back to this page.
"""

# (file, caption, alt text) for a photo; a plain string for a text passage.
ITEMS: list[tuple[str, str, str] | str] = [
    (
        "notebook.jpg",
        "Every walk starts the same way: a notebook, a pen and a list of things to look for.",
        "An open spiral notebook with handwritten lists and sticky notes, a pen lying across it.",
    ),
    "## Spring\n\nThe first warm week brings the woods back before the trees do. Light still "
    "reaches the ground, and the ground makes the most of it.",
    (
        "wood-anemones.jpg",
        "Wood anemones cover the floor of a beech wood before the canopy closes over them.",
        "Low sun and long tree shadows across a forest floor covered in small white flowers.",
    ),
    (
        "nuthatch.jpg",
        "A nuthatch working its way along a trunk. Photo: Lukas Baubkus, "
        "[CC BY-SA 3.0](https://creativecommons.org/licenses/by-sa/3.0/).",
        "A small blue-grey bird with an orange breast clinging to the side of a tree trunk.",
    ),
    (
        "jacobs-ladder.jpg",
        "Jacob’s ladder (*Polemonium reptans*), pale blue in the shade of a hedge.",
        "A cluster of pale blue five-petalled flowers against green leaves.",
    ),
    (
        "violet-cress.jpg",
        "Violet cress (*Orychophragmus violaceus*) along the edge of a garden path.",
        "Purple four-petalled flowers on tall stems against a dark background.",
    ),
    (
        "cyclamen.jpg",
        "A single cyclamen, its petals swept back like a shuttlecock.",
        "A pink cyclamen flower hanging from a curved brown stem.",
    ),
    "## Summer\n\nIn the dry months the walks get longer and the ground gets harder. The notebook "
    "fills with rock, sand and birds that nest where nothing else will.",
    (
        "el-torcal.jpg",
        "Limestone stacks at El Torcal de Antequera, shaped into towers by wind and rain.",
        "Layered grey limestone rock formations against a deep blue sky.",
    ),
    (
        "prairie-falcon.jpg",
        "Adult female prairie falcon flying from a nest on one of our sedimentary slide walls. "
        "Note "
        "the four eggs in the eroded water chute. (Caption read from the photo’s own metadata.)",
        "A falcon with wings spread leaping from a nest in a vertical rock crevice, eggs below.",
    ),
    (
        "dunes.jpg",
        "Mongol Els: dunes rippled by the wind in the late afternoon light.",
        "Wind-rippled sand dunes casting long shadows under a hazy sky.",
    ),
    (
        "denali-road.webp",
        "The park road into Denali, with the Alaska Range behind it.",
        "A gravel road crossing green tundra towards snow-streaked mountains under clouds.",
    ),
    (
        "cactus.jpg",
        "Back home, the cactus on the windowsill flowers for exactly two days a year.",
        "A small round cactus crowned with bright yellow flowers on a black background.",
    ),
    "## Autumn and winter\n\nThe days shorten and the walks move closer to home, then indoors.",
    (
        "ridge.jpg",
        "The ridge in the third week of autumn, the trees just starting to turn.",
        "A grassy meadow rising to a line of green and yellowing trees under a grey sky.",
    ),
    (
        "silver-fir.jpg",
        "Silver firs keep the forest green when everything else lets go.",
        "Tall conifers and young firs in a sunlit forest.",
    ),
    (
        "shop-at-night.jpg",
        "A small shop after dark. The walk home is part of the walk.",
        "A lit shopfront at night with curtains over the door, shelves of goods and a bicycle.",
    ),
    (
        "book-and-flowers.jpg",
        "The year ends where it started: indoors, with a book and the last dried flowers.",
        "An open book beside a bunch of dried orange flowers.",
    ),
    (
        "cat.jpg",
        "And the one who never comes on walks.",
        "A tortoiseshell-and-white cat asleep on its back in a red armchair.",
    ),
]

PUBLISHED = datetime(2026, 3, 21, 9, 0)
UPDATED = datetime(2026, 11, 2, 18, 30)


TAGS = ["Nature", "Seasons"]
PUBLIC_DOMAIN = "https://creativecommons.org/publicdomain/mark/1.0/"
# Who made each photo and its licence, as CREDITS records; photos not named here are from a
# public-domain collection that names no photographer.
RIGHTS = {
    "nuthatch.jpg": ("Lukas Baubkus", "https://creativecommons.org/licenses/by-sa/3.0/"),
    "prairie-falcon.jpg": ("NPS / Gavin Emmons", PUBLIC_DOMAIN),
    "denali-road.webp": ("NPS / David Restivo", PUBLIC_DOMAIN),
}
UNNAMED = ("Immich test assets (public domain)", PUBLIC_DOMAIN)


def _credit(photo, name: str) -> None:
    """Fill in what the file itself does not say, before the photo is rendered."""
    creator, licence = RIGHTS.get(name, UNNAMED)
    photo.creator = photo.creator or creator
    photo.licence_url = photo.licence_url or licence
    photo.save(update_fields=["creator", "licence_url"])


def demo_exists() -> bool:
    return Story.objects.filter(slug=SLUG).exists()


def build_demo(*, author=None) -> Story:
    """Create (or re-create) the demo essay and queue its photos for processing."""
    photos = {
        name: add_photo(PHOTOS / name)[0]
        for name, *_ in (item for item in ITEMS if isinstance(item, tuple))
    }
    for name, photo in photos.items():
        _credit(photo, name)
    with transaction.atomic():
        # Not publishing.delete: the new essay takes the same address and photos at once.
        Story.objects.filter(slug=SLUG).delete()
        story = Story.objects.create(
            title=TITLE,
            slug=SLUG,
            intro=INTRO,
            licence=LICENCE,
            author=author,
            cover=photos["wood-anemones.jpg"],
            show_photo_details=True,
        )
        story.tags.set([Tag.objects.get_or_create(name=name)[0] for name in TAGS])
        for position, item in enumerate(ITEMS):
            if isinstance(item, str):
                StoryItem.objects.create(
                    story=story, position=position, kind=StoryItem.Kind.TEXT, body=item
                )
            else:
                name, caption, alt = item
                StoryItem.objects.create(
                    story=story,
                    position=position,
                    photo=photos[name],
                    caption=caption,
                    alt_text=alt,
                )
        # Dated like a real essay: published in spring, updated since.
        story.updated_at = timezone.make_aware(UPDATED)
        publishing.publish(story, user=author, when=timezone.make_aware(PUBLISHED))
    return story
