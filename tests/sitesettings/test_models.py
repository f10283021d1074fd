"""The site settings: their starting values, validation (all or none), and reading them."""

import pytest
from django.core.exceptions import ValidationError

from filmstrip.sitesettings.models import (
    SiteSettings,
    current,
    read_once,
    starting_values,
    update,
)

pytestmark = pytest.mark.django_db


def test_until_the_author_saves_the_filmstrip_settings_are_the_values(settings):
    settings.FILMSTRIP_SITE_TITLE = "Harbour Notes"
    settings.FILMSTRIP_COMMENTS_BLOCKLIST = ("casino", "cheap pills")
    settings.FILMSTRIP_COMMENTS_CLOSE_AFTER_DAYS = 30
    chosen = current()
    assert chosen.site_title == "Harbour Notes"
    assert chosen.blocklist() == ["casino", "cheap pills"]
    assert chosen.close_comments_after_days == 30
    assert chosen.hold_first_comments is True and chosen.require_signin is False
    assert not SiteSettings.objects.exists()  # reading saves nothing


def test_a_save_keeps_the_rest_and_says_whether_readers_see_it(settings):
    settings.FILMSTRIP_SITE_TITLE = "Harbour Notes"
    called = []
    saved = update({"tagline": "Walks by the sea"}, then=lambda: called.append(1))
    assert saved.changed == ["tagline"] and saved.public and called == [1]
    assert current().site_title == "Harbour Notes"  # from the setting, now stored
    settings.FILMSTRIP_SITE_TITLE = "Changed by the operator"
    assert current().site_title == "Harbour Notes"  # once saved, the author's row wins

    saved = update({"hold_first_comments": False, "comment_max_links": "4"}, then=called.append)
    assert sorted(saved.changed) == ["comment_max_links", "hold_first_comments"]
    assert not saved.public and called == [1]  # moderation is no page's business
    assert current().comment_max_links == 4
    assert update({"tagline": "Walks by the sea"}).changed == []  # the same again: no change


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        ({"site_title": "   "}, "site_title", "The site needs a title."),
        ({"site_title": "x" * 201}, "site_title", "at most 200 characters"),
        ({"tagline": 5}, "tagline", "Must be text."),
        ({"author_bio": "x" * 501}, "author_bio", "at most 500 characters"),
        ({"default_licence_url": "creative commons"}, "default_licence_url", "valid URL"),
        ({"default_licence_url": "javascript:alert(1)"}, "default_licence_url", "valid URL"),
        ({"comment_max_links": "many"}, "comment_max_links", "whole number of links"),
        ({"comment_max_links": True}, "comment_max_links", "whole number of links"),
        ({"comment_max_links": -1}, "comment_max_links", "greater than or equal to 0"),
        ({"comment_max_links": 101}, "comment_max_links", "less than or equal to 100"),
        ({"comment_max_links": ""}, "comment_max_links", "whole number of links"),
        ({"close_comments_after_days": 0}, "close_comments_after_days", "greater than or equal"),
        ({"close_comments_after_days": "soon"}, "close_comments_after_days", "whole number"),
        ({"comment_blocklist": "spam\n" + "x" * 101}, "comment_blocklist", "one word or phrase"),
        ({"comment_blocklist": "w\n" * 1001}, "comment_blocklist", "At most 1,000"),
        ({"hold_first_comments": "false"}, "hold_first_comments", "true or false"),
        ({"require_signin": None}, "require_signin", "true or false"),
        ({"updated_at": "2020-01-01"}, "updated_at", "no such site setting"),
    ],
)
def test_a_refused_value_says_why_beside_its_field(data, field, reason):
    with pytest.raises(ValidationError) as refused:
        update(data)
    assert list(refused.value.message_dict) == [field]
    assert reason in " ".join(refused.value.message_dict[field])


def test_one_refused_value_saves_nothing_sent_with_it():
    update({"tagline": "Before"})
    with pytest.raises(ValidationError):
        update({"tagline": "After", "site_title": ""})
    assert SiteSettings.objects.get().tagline == "Before"


def test_values_are_tidied_as_the_fields_mean_them():
    update(
        {
            "site_title": "  Harbour\x00 Notes ",
            "close_comments_after_days": " 30 ",
            "default_licence_url": " https://creativecommons.org/licenses/by/4.0/ ",
        }
    )
    chosen = SiteSettings.objects.get()
    assert chosen.site_title == "Harbour Notes"
    assert chosen.close_comments_after_days == 30
    assert chosen.default_licence_url == "https://creativecommons.org/licenses/by/4.0/"
    update({"close_comments_after_days": ""})
    assert SiteSettings.objects.get().close_comments_after_days is None  # never


def test_there_is_one_row_only():
    from django.db import IntegrityError, transaction

    update({"tagline": "One"})
    with pytest.raises(IntegrityError), transaction.atomic():
        SiteSettings.objects.create(pk=2, **starting_values())


def test_read_once_a_request_and_afresh_after_it(django_assert_num_queries):
    update({"tagline": "Old"})
    with read_once(), django_assert_num_queries(1):
        assert [current().tagline for _ in range(50)] == ["Old"] * 50
    # Another process saved meanwhile: the next request sees it.
    SiteSettings.objects.update(tagline="New")
    with read_once():
        assert current().tagline == "New"
        update({"tagline": "Newer"})  # a save within the request is what it reads next
        assert current().tagline == "Newer"
