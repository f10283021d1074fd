"""The authors' sign-in page: the site's own look, in our words, with the lockout still on it."""

import pytest
from django.contrib.auth import get_user_model

LOGIN = "/admin/login/?next=/studio/"


@pytest.fixture
def author(db):
    return get_user_model().objects.create_user("ana", password="right", is_staff=True)


def test_the_sign_in_page_is_the_sites_not_the_admins(client, db):
    page = client.get(LOGIN)
    assert page.status_code == 200
    html = page.text
    assert "Sign in to the studio" in html and "filmstrip/studio.css" in html
    assert 'class="site-header"' in html, "the site's own frame"
    assert "admin/css" not in html and "Django administration" not in html
    assert 'name="next" value="/studio/"' in html


def test_an_author_signs_in_and_goes_where_they_were_going(client, author):
    response = client.post(LOGIN, {"username": "ana", "password": "right", "next": "/studio/"})
    assert response.status_code == 302 and response["Location"] == "/studio/"
    assert client.get("/studio/").status_code == 200


def test_a_wrong_password_is_explained_in_our_words(client, author):
    response = client.post(LOGIN, {"username": "ana", "password": "wrong", "next": "/studio/"})
    assert response.status_code == 200
    assert "do not open an author&#x27;s account" in response.text
    assert 'value="ana"' in response.text, "the login name is kept"


def test_a_reader_account_does_not_open_the_studio(client, db):
    get_user_model().objects.create_user("reader", password="right")
    response = client.post(LOGIN, {"username": "reader", "password": "right", "next": "/studio/"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_the_lockout_page_has_the_same_look(client, author):
    for n in range(5):
        client.post(LOGIN, {"username": "ana", "password": f"guess-{n}"})
    response = client.post(LOGIN, {"username": "ana", "password": "right"})
    assert response.status_code == 429
    assert "Signing in is paused" in response.text and 'class="site-header"' in response.text
    assert "admin/css" not in response.text


def test_a_signed_in_reader_is_told_why_the_studio_asks_again(client, db):
    client.force_login(get_user_model().objects.create_user("reader"))
    page = client.get(LOGIN)
    assert page.status_code == 200
    assert "You are signed in as reader, which is not an author's account" in page.text
