"""Comments and links back are moderated alike: one list of states, with one set of names."""

import pytest
from django.contrib.auth.models import User

from filmstrip.backlinks.models import Backlink
from filmstrip.comments.models import Comment, ModerationStatus
from filmstrip.stories.models import Story


def test_comments_and_links_back_share_one_list_of_moderation_states():
    assert Comment.Status is ModerationStatus and Backlink.Status is ModerationStatus
    assert Comment._meta.get_field("status").choices == Backlink._meta.get_field("status").choices
    assert ModerationStatus.PENDING.label == "awaiting moderation"


@pytest.mark.django_db
def test_the_admin_names_the_waiting_state_by_its_label(client, monkeypatch):
    monkeypatch.setattr(ModerationStatus.PENDING, "_label_", "held for you")
    client.force_login(User.objects.create_superuser("ed", "ed@example.org", "pw"))
    story = Story.objects.create(title="Walks")
    Comment.objects.create(story=story, author_name="Ann", body="Hi", body_html="<p>Hi</p>")
    assert "Comments (1 held for you)" in client.get("/admin/comments/comment/").content.decode()
    assert (
        "Links back (0 held for you)" in client.get("/admin/backlinks/backlink/").content.decode()
    )
