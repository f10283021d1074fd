"""django-allauth, narrowed to what Filmstrip needs: readers who sign in elsewhere to comment.

Nobody creates a password account here (authors are made in the admin or by `createsuperuser`);
an account is opened automatically the first time someone signs in through a provider.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class ReaderAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False


class ReaderSocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return True
