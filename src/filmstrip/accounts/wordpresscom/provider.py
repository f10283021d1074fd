"""WordPress.com as an allauth provider: a reader's account, name, e-mail and blog."""

from allauth.account.models import EmailAddress
from allauth.socialaccount.providers.base import ProviderAccount
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider

from .views import WordPressComOAuth2Adapter


class WordPressComAccount(ProviderAccount):
    def get_profile_url(self):
        # Their blog, as WordPress.com links a commenter's name; else their Gravatar profile.
        data = self.account.extra_data
        return data.get("primary_blog_url") or data.get("profile_URL")

    def get_avatar_url(self):
        return self.account.extra_data.get("avatar_URL")


class WordPressComProvider(OAuth2Provider):
    id = "wordpress"
    name = "WordPress.com"
    account_class = WordPressComAccount
    oauth2_adapter_class = WordPressComOAuth2Adapter

    def get_default_scope(self):
        return ["auth"]  # who the reader is, and no access to their sites

    def extract_uid(self, data):
        return str(data["ID"])

    def extract_common_fields(self, data):
        return {
            "email": data.get("email"),
            "username": data.get("username"),
            "name": data.get("display_name"),
        }

    def extract_email_addresses(self, data):
        if not data.get("email"):
            return []
        verified = data.get("email_verified") is True
        return [EmailAddress(email=data["email"], verified=verified, primary=True)]


provider_classes = [WordPressComProvider]
