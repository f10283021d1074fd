"""Sign-in providers for commenters, switched on by environment variables.

Readers sign in with accounts they already have elsewhere, through django-allauth. Any OpenID
Connect provider is configured by issuer, client id and secret; allauth's ready providers for
the big sites, and WordPress.com's (ours: allauth has none), by client id and secret.
docs/settings.md lists the variables.
"""

from collections.abc import Mapping

# allauth provider id -> the word in its environment variables (FILMSTRIP_<WORD>_CLIENT_ID ...)
READY_PROVIDERS = {
    "github": "GITHUB",
    "gitlab": "GITLAB",
    "google": "GOOGLE",
    "microsoft": "MICROSOFT",
    "facebook": "FACEBOOK",
    "twitter_oauth2": "TWITTER",
    "wordpress": "WORDPRESS",
}
# Ready providers written in Filmstrip, not allauth: provider id -> its Django app.
OWN_PROVIDERS = {"wordpress": "filmstrip.accounts.wordpresscom"}
OIDC_PROVIDER_ID = "oidc"


class SignInConfigError(ValueError):
    pass


def provider_apps() -> list[str]:
    """The Django app of every ready provider, for INSTALLED_APPS."""
    allauths = "allauth.socialaccount.providers"
    return [OWN_PROVIDERS.get(provider, f"{allauths}.{provider}") for provider in READY_PROVIDERS]


def providers_from_environ(environ: Mapping[str, str]) -> dict:
    """allauth's SOCIALACCOUNT_PROVIDERS for the providers the environment configures."""
    providers: dict = {}
    issuer = environ.get("FILMSTRIP_OIDC_ISSUER", "").strip()
    if issuer:
        client_id, secret = _credentials(environ, "OIDC")
        providers["openid_connect"] = {
            # The authorization code is bound to a verifier only this server knows (RFC 7636).
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": OIDC_PROVIDER_ID,
                    "name": environ.get("FILMSTRIP_OIDC_NAME", "").strip() or "OpenID Connect",
                    "client_id": client_id,
                    "secret": secret,
                    "settings": {"server_url": issuer.rstrip("/")},
                }
            ],
        }
    for provider, word in READY_PROVIDERS.items():
        if environ.get(f"FILMSTRIP_{word}_CLIENT_ID", "").strip():
            client_id, secret = _credentials(environ, word)
            providers[provider] = {"APPS": [{"client_id": client_id, "secret": secret}]}
    return providers


def _credentials(environ: Mapping[str, str], word: str) -> tuple[str, str]:
    client_id = environ.get(f"FILMSTRIP_{word}_CLIENT_ID", "").strip()
    secret = environ.get(f"FILMSTRIP_{word}_CLIENT_SECRET", "").strip()
    if not client_id or not secret:
        raise SignInConfigError(
            f"Sign-in through {word.lower()} needs both FILMSTRIP_{word}_CLIENT_ID and "
            f"FILMSTRIP_{word}_CLIENT_SECRET (from the application registered with the provider)."
        )
    return client_id, secret
