"""Bodies the studio's script would never send answer 400 with a reason, never a server error."""

import pytest
from django.test import override_settings

from filmstrip.stories.models import Story, StoryItem
from filmstrip.studio.api import MAX_IDS

pytestmark = pytest.mark.django_db

ENDPOINTS = ["{pk}/save", "{pk}/delete", "{pk}/order", "{pk}/uploads"]


@pytest.fixture
def story(author):
    return Story.objects.create(title="Hills", author=author)


def send(client, story, endpoint, body):
    client.raise_request_exception = False
    url = "/studio/" + endpoint.format(pk=story.pk)
    return client.post(url, body, content_type="application/json")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"ids": ' + "[" * 5000 + "]" * 5000 + "}", "nested too deeply"),
        ("{not json", "not JSON"),
        (b'{"text": "\xff\xfe"}', "not JSON"),
        ('{"size": 1' + "0" * 10_000 + "}", "not JSON"),
    ],
    ids=["deep-array", "deep-value", "broken", "not-utf-8", "long-number"],
)
def test_unreadable_json_is_refused_with_its_reason(client, story, endpoint, body, reason):
    response = send(client, story, endpoint, body)
    assert response.status_code == 400
    assert reason in response.json()["error"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100_000)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_body_over_the_limit_is_refused_in_json(client, story, endpoint):
    response = send(client, story, endpoint, '{"text": "' + "x" * 200_000 + '"}')
    assert response.status_code == 400
    assert response.json() == {"error": "The request is larger than the limit of 100,000 bytes."}


@pytest.mark.parametrize("endpoint", ["{pk}/delete", "{pk}/order"])
def test_more_item_numbers_than_an_essay_could_have_are_refused(client, story, endpoint):
    ids = ",".join(str(n) for n in range(1, 300_001))  # past SQLite's limit of SQL variables
    response = send(client, story, endpoint, f'{{"ids": [{ids}]}}')
    assert response.status_code == 400
    assert response.json() == {"error": f"At most {MAX_IDS:,} items at a time."}


@pytest.mark.parametrize("number", [10**30, 2**63, -1, 0])
@pytest.mark.parametrize(
    ("endpoint", "field"), [("{pk}/delete", "ids"), ("{pk}/order", "ids"), ("{pk}/save", "cover")]
)
def test_numbers_no_row_could_have_are_refused(client, story, endpoint, field, number):
    """Past 64 bits the database driver raised OverflowError (a 500) instead of finding nothing."""
    value = [number] if field == "ids" else number
    response = send(client, story, endpoint, {field: value})
    assert response.status_code == 400
    assert "error" in response.json()


@pytest.mark.parametrize("endpoint", [*ENDPOINTS, "items/{item}/save"])
def test_unreadable_json_is_refused_before_anything_is_looked_up(client, author, endpoint):
    """An essay or item that does not exist was a 404, hiding that the body was unreadable."""
    client.raise_request_exception = False
    url = "/studio/" + endpoint.format(pk=999_999, item=999_999)
    response = client.post(url, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "not JSON" in response.json()["error"]


@pytest.mark.parametrize("endpoint", [*ENDPOINTS, "items/{item}/save"])
@pytest.mark.parametrize("body", ["[1, 2]", '"Hills"', "null", "3", "true"])
def test_json_that_is_not_an_object_is_refused_not_ignored(client, story, endpoint, body):
    """Read as an empty object, these saved nothing and answered 200 as if all was well."""
    item = StoryItem.objects.create(story=story, kind=StoryItem.Kind.TEXT, body="Before")
    client.raise_request_exception = False
    url = "/studio/" + endpoint.format(pk=story.pk, item=item.pk)
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"error": "The request must be a JSON object ({…})."}
    assert story.items.get() == item
