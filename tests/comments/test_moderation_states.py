"""Comments and links back are moderated alike: one list of states, with one set of names."""

from filmstrip.backlinks.models import Backlink
from filmstrip.comments.models import Comment, ModerationStatus


def test_comments_and_links_back_share_one_list_of_moderation_states():
    assert Comment.Status is ModerationStatus and Backlink.Status is ModerationStatus
    assert Comment._meta.get_field("status").choices == Backlink._meta.get_field("status").choices
    assert ModerationStatus.PENDING.label == "awaiting moderation"
