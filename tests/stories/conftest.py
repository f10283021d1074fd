"""A published essay of real, processed photos, for the page and open-web tests."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from filmstrip.stories.models import Story, StoryItem

PHOTOS = [
    "photos/immich-test-assets/albums/nature/prairie_falcon.jpg",
    "photos/immich-test-assets/albums/nature/tanners_ridge.jpg",
    "photos/immich-test-assets/albums/nature/el_torcal_rocks.jpg",
    "photos/immich-test-assets/metadata/rating/mongolels.jpg",
]


@pytest.fixture
def essay(ready_photo):
    author = User.objects.create_user("ann", password="pw")
    story = Story.objects.create(
        title="A Half Marathon in Pyongyang",
        author=author,
        intro="For the first time in 27 years… my account is [at NK News](https://www.nknews.org/).",
        licence="Use any photos you’d like. But if you do, please link back to this page.",
    )
    for position, relative in enumerate(PHOTOS[:3]):
        photo = ready_photo(relative)
        StoryItem.objects.create(
            story=story,
            position=position * 2,
            photo=photo,
            caption=f"Caption {position} with [a link](https://example.org/)",
            alt_text=f"Alt {position}",
        )
    StoryItem.objects.create(story=story, position=1, kind="text", body="Between *photos*.")
    story.publish(when=timezone.now() - timedelta(days=10))
    return story
