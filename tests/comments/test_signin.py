"""Readers signed in through a provider: identity, moderation, the static page, redirects.

The whole OpenID Connect flow against a real provider is in tests/browser/test_oidc_signin.py;
these check Filmstrip's side in-process, with GitHub configured (no request leaves the machine).
"""

from urllib.parse import parse_qs, urlparse

import pytest
from allauth.socialaccount.models import SocialAccount
from bs4 import BeautifulSoup
from django.contrib.auth.models import User

from filmstrip.comments.identity import reader_for
from filmstrip.comments.models import Comment
from filmstrip.project.signin import SignInConfigError, providers_from_environ
from filmstrip.stories import publishing
from filmstrip.stories.models import Story

pytestmark = pytest.mark.django_db

GITHUB = {"github": {"APPS": [{"client_id": "gh-client", "secret": "gh-secret"}]}}
EVIL = ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]


@pytest.fixture(autouse=True)
def github(settings):
    settings.SOCIALACCOUNT_PROVIDERS = GITHUB
    settings.FILMSTRIP_COMMENTS_MIN_SECONDS = 0


@pytest.fixture
def story():
    story = Story.objects.create(title="Harbour Lights")
    publishing.publish(story)
    return story


def github_reader(login="octo", **extra):
    user = User.objects.create_user(login)
    data = {"login": login, "name": "Octo Cat", "html_url": f"https://github.com/{login}"}
    SocialAccount.objects.create(
        user=user, provider="github", uid="583231", extra_data=data | extra
    )
    return user


def post(client, story, **fields):
    tokens = client.get(f"/comments/{story.slug}/form").json()
    form = {
        "body": "Lovely light.",
        "token": tokens["token"],
        "csrfmiddlewaretoken": tokens["csrf"],
    }
    return client.post(f"/comments/{story.slug}/post", form | fields)


def test_providers_come_from_the_environment():
    providers = providers_from_environ(
        {
            "FILMSTRIP_OIDC_ISSUER": "https://id.example.org/realms/main/",
            "FILMSTRIP_OIDC_CLIENT_ID": "filmstrip",
            "FILMSTRIP_OIDC_CLIENT_SECRET": "s3cret",
            "FILMSTRIP_OIDC_NAME": "Example ID",
            "FILMSTRIP_GITHUB_CLIENT_ID": "gh",
            "FILMSTRIP_GITHUB_CLIENT_SECRET": "gh-secret",
        }
    )
    assert set(providers) == {"openid_connect", "github"}
    oidc = providers["openid_connect"]
    assert oidc["OAUTH_PKCE_ENABLED"] is True
    [app] = oidc["APPS"]
    assert app["name"] == "Example ID" and app["client_id"] == "filmstrip"
    assert app["settings"] == {"server_url": "https://id.example.org/realms/main"}
    assert providers["github"]["APPS"] == [{"client_id": "gh", "secret": "gh-secret"}]
    assert providers_from_environ({}) == {}


@pytest.mark.parametrize(
    "environ",
    [
        {"FILMSTRIP_OIDC_ISSUER": "https://id.example.org", "FILMSTRIP_OIDC_CLIENT_ID": "x"},
        {"FILMSTRIP_GOOGLE_CLIENT_ID": "x"},
    ],
)
def test_half_a_provider_configuration_is_a_clear_error(environ):
    with pytest.raises(SignInConfigError, match="CLIENT_SECRET"):
        providers_from_environ(environ)


def test_the_page_offers_sign_in_and_is_the_same_for_everyone(client, story):
    anonymous = client.get(story.get_absolute_url())
    link = BeautifulSoup(anonymous.content, "html.parser").select_one(".signin a")
    assert link.get_text() == "Sign in with GitHub"
    assert parse_qs(urlparse(link["href"]).query)["next"] == [f"{story.get_absolute_url()}#respond"]

    client.force_login(github_reader())
    signed_in = client.get(story.get_absolute_url())
    assert signed_in.content == anonymous.content
    assert "Cookie" not in signed_in.get("Vary", "") and "csrf" not in signed_in.cookies


def test_form_tokens_say_who_is_signed_in_but_never_their_address(client, story):
    assert client.get(f"/comments/{story.slug}/form").json()["reader"] is None
    client.force_login(github_reader(email="octo@example.org"))
    data = client.get(f"/comments/{story.slug}/form").json()
    assert data["reader"] == {"name": "Octo Cat", "via": "GitHub"}
    assert "octo@example.org" not in str(data)


def test_a_signed_in_reader_comments_under_their_account(client, story):
    user = github_reader(email="octo@example.org")
    client.force_login(user)
    response = post(client, story, name="Someone Else", email="else@example.org")
    assert response.status_code == 200  # held: a first comment from this account
    comment = Comment.objects.get()
    assert (comment.user, comment.author_via) == (user, "GitHub")
    assert comment.author_name == "Octo Cat" and comment.author_email == "octo@example.org"
    assert comment.author_url == "https://github.com/octo"
    assert comment.moderation_reasons == ["first comment from this account"]

    Comment.objects.update(status=Comment.Status.APPROVED)
    response = post(client, story, body="Back again.")
    assert response.status_code == 302, "an approved account's comments go straight up"
    html = client.get(story.get_absolute_url()).content.decode()
    assert "via GitHub" in html and "octo@example.org" not in html


def test_a_guest_with_the_same_address_is_not_that_account(client, story):
    github_reader(email="octo@example.org")
    Comment.objects.create(
        story=story,
        user=User.objects.get(username="octo"),
        author_name="Octo Cat",
        author_email="octo@example.org",
        body="Approved earlier",
        status=Comment.Status.APPROVED,
    )
    post(client, story, name="Octo Cat", email="octo@example.org", body="Not really Octo.")
    impostor = Comment.objects.get(body="Not really Octo.")
    assert impostor.user is None and impostor.status == Comment.Status.PENDING


def test_the_author_answers_straight_away_and_is_marked(client, story):
    author = User.objects.create_user("editor", "editor@example.org", is_staff=True)
    story.author = author
    story.save()
    client.force_login(author)
    assert post(client, story, body="Thank you all.").status_code == 302
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED and comment.by_author
    soup = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")
    assert soup.select_one(".comment-meta .badge").get_text() == "author"


def test_provider_claims_cannot_inject_markup_or_script(client, story):
    user = github_reader(
        name='<img src=x onerror="alert(1)">', html_url="javascript:alert(1)", email="x@example.org"
    )
    Comment.objects.create(
        story=story,
        user=user,
        author_name=reader_for(user).name,
        author_url=reader_for(user).url,
        author_via="GitHub",
        body="Hi",
        status=Comment.Status.APPROVED,
    )
    assert reader_for(user).url == ""
    soup = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")
    assert not soup.select("#comments img")
    assert soup.select_one(".comment-author").get_text() == '<img src=x onerror="alert(1)">'


def test_a_switched_off_provider_keeps_its_readers_names(client, story, settings):
    user = github_reader()
    settings.SOCIALACCOUNT_PROVIDERS = {}
    reader = reader_for(user)
    assert (reader.name, reader.via) == ("Octo Cat", "github")


def test_sign_in_required_turns_guests_away_and_keeps_their_text(client, story, settings):
    settings.FILMSTRIP_COMMENTS_REQUIRE_SIGNIN = True
    soup = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")
    assert not soup.select("#id_name, #id_email")
    assert soup.select_one(".signin").get_text() == "Sign in with GitHub to comment."
    response = post(client, story, name="Ann", email="ann@example.org", body="Let me in.")
    assert response.status_code == 400
    assert "Please sign in" in response.content.decode()
    assert "Let me in." in response.content.decode()
    assert not Comment.objects.exists()

    client.force_login(github_reader())
    assert post(client, story).status_code == 200
    assert Comment.objects.get().user.username == "octo"


def test_the_sign_in_page_posts_to_each_provider(client, story):
    next_url = f"{story.get_absolute_url()}#respond"
    soup = BeautifulSoup(client.get("/accounts/login/", {"next": next_url}).content, "html.parser")
    [form] = soup.select(".providers form")
    assert form["method"] == "post" and form["action"] == "/accounts/github/login/"
    assert form.select_one("[name=next]")["value"] == next_url
    assert form.select_one("[name=csrfmiddlewaretoken]")


def test_going_to_the_provider_carries_our_client_and_callback(client):
    response = client.post("/accounts/github/login/", {"next": "/"})
    assert response.status_code == 302
    target = urlparse(response["Location"])
    assert target.netloc == "github.com"
    query = parse_qs(target.query)
    assert query["client_id"] == ["gh-client"]
    assert query["redirect_uri"] == ["http://testserver/accounts/github/login/callback/"]
    assert query["state"][0]


@pytest.mark.parametrize("target", EVIL)
def test_no_open_redirect_through_next(client, target):
    soup = BeautifulSoup(client.get("/accounts/login/", {"next": target}).content, "html.parser")
    assert {field["value"] for field in soup.select("[name=next]")} == {"/"}

    client.force_login(github_reader())
    response = client.post("/accounts/logout/", {"next": target})
    assert response.status_code == 302 and response["Location"] == "/"


def test_without_javascript_the_confirmation_page_knows_the_reader(client, story):
    client.force_login(github_reader())
    page = client.get(f"/comments/{story.slug}/confirm").content.decode()
    soup = BeautifulSoup(page, "html.parser")
    assert not soup.select("#id_name, #id_email")
    assert soup.select_one(".as").get_text().startswith("You are commenting as Octo Cat (GitHub)")
    logout = soup.select_one("#logout-form")
    assert logout["action"] == "/accounts/logout/" and logout.select_one(
        "[name=csrfmiddlewaretoken]"
    )


def test_a_provider_added_in_the_admin_is_offered_too(client, story, settings):
    from allauth.socialaccount.models import SocialApp

    settings.SOCIALACCOUNT_PROVIDERS = {}
    SocialApp.objects.create(provider="gitlab", name="GitLab", client_id="gl", secret="gl-s")
    soup = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")
    assert soup.select_one(".signin a").get_text() == "Sign in with GitLab"


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/password/change/",
        "/accounts/email/",
        "/accounts/confirm-email/",
        "/accounts/login/code/confirm/",
        "/accounts/3rdparty/",
    ],
)
def test_no_local_account_pages(client, path):
    assert client.get(path).status_code == 404
    client.force_login(github_reader())
    assert client.get(path).status_code == 404
    assert client.post(path, {"email": "ed@example.org"}).status_code in (403, 404)
