"""The admin's change page of a held comment: the photo it is about and why it was held are
shown, not offered as a list of every photo on the site or as raw JSON."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User

from filmstrip.comments.models import Comment
from filmstrip.stories.models import Story

pytestmark = pytest.mark.django_db


def test_the_change_page_shows_the_photo_and_the_reasons_in_words(client):
    comment = Comment.objects.create(
        story=Story.objects.create(title="Harbour"), author_name="Ann", body="Hi",
        moderation_reasons=["3 links (more than 2)", "first comment from this address"],
    )  # fmt: skip
    client.force_login(User.objects.create_superuser("editor", "e@example.org", "pw"))
    html = BeautifulSoup(
        client.get(f"/admin/comments/comment/{comment.pk}/change/").content, "html.parser"
    )
    assert html.select_one("select[name=photo]") is None
    assert html.select_one("[name=depth]") is None and html.select_one("[name=parent]") is None
    why = html.select_one(".field-reasons .readonly").text
    assert why == "3 links (more than 2); first comment from this address"
    assert '["' not in html.select_one("form").text
