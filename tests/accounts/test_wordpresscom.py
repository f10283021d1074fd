"""Sign-in with WordPress.com, end to end against a loopback server speaking its OAuth2.

The server (tests/wordpresscom_provider) is a real HTTP server: allauth reaches its token and
``/rest/v1/me`` endpoints over the network with ``requests``, and the reader's side (the
authorize page, approve or deny, the redirect back) is walked with a separate HTTP client.
Filmstrip is configured through FILMSTRIP_WORDPRESS_* as an operator would; only the server's
address is pointed at loopback.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from bs4 import BeautifulSoup
from django.contrib.auth.models import User

from filmstrip.comments.models import Comment
from filmstrip.project.signin import providers_from_environ
from filmstrip.stories import publishing
from filmstrip.stories.models import Story
from tests.wordpresscom_provider import PROFILE, StandIn

pytestmark = pytest.mark.django_db

CLIENT_ID, SECRET = "71234", "wpcom-secret-for-tests-only"
CALLBACK = "http://testserver/accounts/wordpress/login/callback/"


@pytest.fixture
def wordpress(settings):
    stand_in = StandIn(CLIENT_ID, SECRET, CALLBACK)
    server = stand_in.serve()
    providers = providers_from_environ(
        {"FILMSTRIP_WORDPRESS_CLIENT_ID": CLIENT_ID, "FILMSTRIP_WORDPRESS_CLIENT_SECRET": SECRET}
    )
    providers["wordpress"]["APPS"][0]["settings"] = {"api_url": stand_in.url}
    settings.SOCIALACCOUNT_PROVIDERS = providers
    settings.FILMSTRIP_COMMENTS_MIN_SECONDS = 0
    yield stand_in
    server.shutdown()
    server.server_close()


@pytest.fixture
def story():
    story = Story.objects.create(title="Tide Pools")
    publishing.publish(story)
    return story


def go_to_wordpress(client, next_url="/"):
    """The sign-in page's button: Filmstrip sends the reader's browser to the authorize page."""
    response = client.post("/accounts/wordpress/login/", {"next": next_url})
    assert response.status_code == 302
    return response["Location"]


def reader_decides(authorize_url, decision):
    """The reader at WordPress.com: the authorize page, a button, the redirect back to us."""
    with requests.Session() as browser:
        page = browser.get(authorize_url, timeout=5)
        assert page.status_code == 200, page.text
        form = BeautifulSoup(page.text, "html.parser").form
        fields = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
        answer = browser.post(
            authorize_url.split("?")[0],
            fields | {"decision": decision},
            allow_redirects=False,
            timeout=5,
        )
    assert answer.status_code == 302
    back = urlsplit(answer.headers["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == CALLBACK
    return f"{back.path}?{back.query}"


def sign_in(client, next_url="/", decision="approve"):
    return client.get(reader_decides(go_to_wordpress(client, next_url), decision))


def signed_in(client) -> bool:
    return client.get("/comments/tide-pools/form").json()["reader"] is not None


def post_comment(client, story, body):
    tokens = client.get(f"/comments/{story.slug}/form").json()
    form = {"body": body, "token": tokens["token"], "csrfmiddlewaretoken": tokens["csrf"]}
    return client.post(f"/comments/{story.slug}/post", form)


def test_the_environment_switches_it_on_like_the_others():
    environ = {"FILMSTRIP_WORDPRESS_CLIENT_ID": "7", "FILMSTRIP_WORDPRESS_CLIENT_SECRET": "s"}
    assert providers_from_environ(environ) == {
        "wordpress": {"APPS": [{"client_id": "7", "secret": "s"}]}
    }


def test_the_sign_in_page_lists_wordpress_com(client, wordpress, story):
    page = client.get("/accounts/login/", {"next": f"{story.get_absolute_url()}#respond"})
    soup = BeautifulSoup(page.content, "html.parser")
    [form] = soup.select(".providers form")
    assert form["action"] == "/accounts/wordpress/login/"
    assert form.button.get_text() == "Sign in with WordPress.com"
    essay = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")
    assert essay.select_one(".signin a").get_text() == "Sign in with WordPress.com"


def test_the_authorize_request_asks_only_who_the_reader_is(client, wordpress):
    target = urlsplit(go_to_wordpress(client))
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{wordpress.url}/oauth2/authorize"
    query = {key: values for key, values in parse_qs(target.query).items()}
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == [CALLBACK]
    assert query["response_type"] == ["code"]
    assert query["scope"] == ["auth"]
    assert query["state"][0]


def test_a_reader_signs_in_and_comments_via_wordpress_com(client, wordpress, story):
    essay = story.get_absolute_url()
    response = sign_in(client, f"{essay}#respond")
    assert response.status_code == 302 and response["Location"] == f"{essay}#respond"

    [token_request] = wordpress.token_requests
    assert token_request["grant_type"] == "authorization_code"
    assert token_request["client_secret"] == SECRET and token_request["redirect_uri"] == CALLBACK
    account = SocialAccount.objects.get()
    assert (account.provider, account.uid) == ("wordpress", str(PROFILE["ID"]))
    assert account.user.email == "maren@example.org"
    assert client.get(f"/comments/{story.slug}/form").json()["reader"] == {
        "name": "Maren Holt",
        "via": "WordPress.com",
    }

    assert post_comment(client, story, "The anemones!").status_code == 200  # held: first one
    comment = Comment.objects.get()
    assert (comment.user, comment.author_name) == (account.user, "Maren Holt")
    assert comment.author_via == "WordPress.com"
    assert comment.author_url == "https://marenholt.example.org"
    assert comment.author_email == "maren@example.org"

    Comment.objects.update(status=Comment.Status.APPROVED)
    assert post_comment(client, story, "And the crabs.").status_code == 302
    html = client.get(essay).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    metas = [meta.get_text(" ", strip=True) for meta in soup.select(".comment-meta")]
    assert len(metas) == 2 and all("Maren Holt" in m and "via WordPress.com" in m for m in metas)
    assert "maren@example.org" not in html


def test_signing_in_again_finds_the_same_account(client, wordpress):
    sign_in(client)
    client.post("/accounts/logout/")
    sign_in(client)
    assert User.objects.count() == 1 and SocialAccount.objects.count() == 1


def test_a_refused_authorization_says_so_and_signs_nobody_in(client, wordpress, story):
    response = sign_in(client, decision="deny")
    assert response.status_code == 302
    page = client.get(response["Location"])
    text = BeautifulSoup(page.content, "html.parser").main.get_text(" ", strip=True)
    assert "Login Cancelled" in text and "cancel" in text
    assert not wordpress.token_requests, "no code, so nothing to exchange"
    assert not User.objects.exists() and not signed_in(client)


def assert_clear_failure(page, story=None):
    """allauth's failure page, in Filmstrip's words: who failed, and the ways on."""
    assert page.status_code == 401
    main = BeautifulSoup(page.content, "html.parser").main
    text = main.get_text(" ", strip=True)
    assert "Signing in did not work" in text
    assert "WordPress.com did not confirm who you are" in text and "not signed in" in text
    links = {a.get_text(): a["href"] for a in main.select("a")}
    back = story.get_absolute_url() if story else "/"
    assert links["go back"] == back
    assert parse_qs(urlsplit(links["Try again"]).query)["next"] == [back]


BAD_TOKEN_ANSWERS = {
    "refused code": (400, "application/json", b'{"error":"invalid_grant"}'),
    "server error page": (500, "text/html", b"<html><body>Oops</body></html>"),
    "no token in it": (200, "application/json", b'{"token_type":"bearer"}'),
    "not json": (200, "application/json", b"{not json"),
}


@pytest.mark.parametrize("answer", BAD_TOKEN_ANSWERS.values(), ids=BAD_TOKEN_ANSWERS)
def test_a_bad_token_answer_is_a_clear_failure(client, wordpress, story, answer):
    wordpress.bad_token_answer = answer
    assert_clear_failure(sign_in(client, story.get_absolute_url()), story)
    assert not User.objects.exists() and not signed_in(client)


@pytest.mark.parametrize(
    "profile",
    [{}, {"display_name": "No Id"}, {"ID": ""}],
    ids=["empty", "no id", "blank id"],
)
def test_a_profile_without_an_account_id_is_a_clear_failure(client, wordpress, story, profile):
    wordpress.profile = profile
    assert_clear_failure(sign_in(client, story.get_absolute_url()), story)
    assert not User.objects.exists() and not signed_in(client)


def test_a_token_the_profile_endpoint_refuses_is_a_clear_failure(client, wordpress, story):
    wordpress.me_refuses_tokens = True
    assert_clear_failure(sign_in(client, story.get_absolute_url()), story)
    assert not User.objects.exists() and not signed_in(client)


def test_a_replayed_code_is_refused(client, wordpress, story):
    callback = reader_decides(go_to_wordpress(client), "approve")
    assert client.get(callback).status_code == 302
    client.post("/accounts/logout/")
    assert_clear_failure(client.get(callback))
    assert not signed_in(client)


def test_a_verified_address_never_opens_someone_elses_account(client, wordpress):
    author = User.objects.create_user("editor", PROFILE["email"], is_staff=True)
    sign_in(client)
    account = SocialAccount.objects.get()
    assert account.user != author and not account.user.is_staff
