"""django-allauth, narrowed to what Filmstrip needs: readers who sign in elsewhere to comment.

Nobody creates a password account here (authors are made in the admin or by `createsuperuser`);
an account is opened automatically the first time someone signs in through a provider.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotFound

from filmstrip.limits.clients import client_address


class ReaderAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False

    def get_client_ip(self, request):
        """For allauth's rate limits: the client as FILMSTRIP_TRUSTED_PROXIES defines it, not
        the proxy (allauth's own guess knows nothing of that setting)."""
        address = client_address(request)
        if address is None:
            raise PermissionDenied("Unable to determine client IP address")
        return address


class ReaderSocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return True


class UnconfiguredProviderMiddleware:
    """Every provider allauth knows has its sign-in addresses, set up on this site or not: one
    that is not answers 404 and says so, instead of a server error. Only a view's failure is
    turned: elsewhere (a reader's name, from a provider since switched off) it is handled."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from allauth.socialaccount.models import SocialApp  # not at import: allauth's advice

        if not isinstance(exception, SocialApp.DoesNotExist):
            return None
        match = request.resolver_match
        provider = match.kwargs.get("provider_id") or (match.url_name or "").rsplit("_", 1)[0]
        return HttpResponseNotFound(
            f"Signing in through “{provider}” is not set up on this site.",
            content_type="text/plain; charset=utf-8",
        )
