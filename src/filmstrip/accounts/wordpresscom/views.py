"""The OAuth2 exchange with WordPress.com: authorize, token, then who the token belongs to."""

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.base import ProviderException
from allauth.socialaccount.providers.oauth2.views import (
    OAuth2Adapter,
    OAuth2CallbackView,
    OAuth2LoginView,
)

API_URL = "https://public-api.wordpress.com"


class WordPressComOAuth2Adapter(OAuth2Adapter):
    provider_id = "wordpress"

    @property
    def api_url(self) -> str:
        # The app's settings may name another server speaking the same protocol (the tests'
        # loopback stand-in); read per request, so a changed setting needs no restart.
        return self.get_provider().app.settings.get("api_url", API_URL).rstrip("/")

    @property
    def authorize_url(self) -> str:
        return f"{self.api_url}/oauth2/authorize"

    @property
    def access_token_url(self) -> str:
        return f"{self.api_url}/oauth2/token"

    @property
    def profile_url(self) -> str:
        return f"{self.api_url}/rest/v1/me"

    def complete_login(self, request, app, token, **kwargs):
        with get_adapter().get_requests_session() as session:
            response = session.get(
                self.profile_url, headers={"Authorization": f"Bearer {token.token}"}
            )
            response.raise_for_status()
            data = response.json()
        # allauth turns a ProviderException into its sign-in failure page; a KeyError would be
        # a server error.
        if not isinstance(data, dict) or not str(data.get("ID") or "").strip():
            raise ProviderException("WordPress.com did not say which account signed in.")
        return self.get_provider().sociallogin_from_response(request, data)


oauth2_login = OAuth2LoginView.adapter_view(WordPressComOAuth2Adapter)
oauth2_callback = OAuth2CallbackView.adapter_view(WordPressComOAuth2Adapter)
