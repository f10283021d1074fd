"""Who is writing: a guest who typed a name, or a reader signed in through a provider."""

from dataclasses import dataclass

from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.models import SocialApp
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from filmstrip.accounts.models import display_name
from filmstrip.columns import clip, width

from .models import Comment

# Claims that carry a display name, in the order providers' conventions make them likely.
_NAME_KEYS = ("name", "display_name", "preferred_username", "login", "username", "nickname")


@dataclass(frozen=True)
class Reader:
    """A signed-in commenter, as their comments will show them."""

    user: User
    name: str
    email: str
    url: str
    via: str  # the provider's name ("GitHub"), or "" for the site's own authors

    @property
    def is_staff(self) -> bool:
        return bool(self.user.is_staff)


def reader_for(user) -> Reader | None:
    """The identity a signed-in user comments under; None for anonymous visitors."""
    if not user.is_authenticated:
        return None
    account = user.socialaccount_set.first()
    if account is None:  # an author signed in through the admin
        return Reader(user=user, name=display_name(user), email=user.email, url="", via="")
    try:
        provider_account = account.get_provider_account()
        data, via = provider_account.get_user_data() or {}, account.get_provider().name
        profile = provider_account.get_profile_url()
    except SocialApp.DoesNotExist:  # the provider has since been switched off; keep the name
        data, via, profile = account.extra_data or {}, account.provider, None
    name = next((str(data[k]) for k in _NAME_KEYS if data.get(k)), "")
    return Reader(
        user=user,
        name=clip(Comment, "author_name", name or user.get_full_name() or user.get_username()),
        email=user.email or str(data.get("email") or ""),
        url=_web_address(profile, data.get("website"), data.get("profile")),
        via=clip(Comment, "author_via", via),
    )


def _web_address(*candidates) -> str:
    """The first http(s) address among a provider's claims: they are not ours to trust."""
    for candidate in candidates:
        if not isinstance(candidate, str) or len(candidate) > width(Comment, "author_url"):
            continue
        try:
            URLValidator(schemes=["http", "https"])(candidate)
        except ValidationError:
            continue
        return candidate
    return ""


def sign_in_providers() -> list[tuple[str, str]]:
    """(name, login URL) of every sign-in provider the site is configured with."""
    providers = get_social_adapter().list_providers(None)
    return [(provider.name, provider.get_login_url(None)) for provider in providers]
