from django.conf import settings
from django.contrib import admin
from django.http import Http404
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.utils.functional import lazy
from django.utils.text import format_lazy

from filmstrip.accounts.forms import AuthorSignInForm
from filmstrip.comments.views import sign_in
from filmstrip.sitesettings.models import current

# Read when a page shows them: the author may rename the site in the studio at any time.
_site_title = lazy(lambda: current().site_title, str)()
admin.site.site_header = format_lazy("{} · admin", _site_title)
admin.site.site_title = _site_title
# Authors sign in on a page of the site's own, still through the admin's view: one password
# form, whose failures django-axes counts (accounts/logins.py).
admin.site.login_template = "accounts/sign_in.html"
admin.site.login_form = AuthorSignInForm

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
]
if settings.MEDIA_URL.startswith("/"):
    # Media on local disk: Filmstrip serves renditions itself (see photos/views.py).
    urlpatterns.append(path(settings.MEDIA_URL.lstrip("/"), include("filmstrip.photos.urls")))
urlpatterns.append(path("comments/", include("filmstrip.comments.urls")))
urlpatterns.append(path("studio/", include("filmstrip.studio.urls")))
# Our page for choosing a provider stands in front of allauth's password login form.
urlpatterns.append(path("accounts/login/", sign_in, name="sign_in"))


def _not_here(request, *args, **kwargs):
    raise Http404("Readers sign in with an account elsewhere; there are no passwords here.")


# allauth's pages for local accounts (passwords, e-mail addresses, sign-up) have no use here: a
# reset e-mail to an author's address or an unverified address for reply notices would only harm.
urlpatterns.append(
    re_path(
        r"^accounts/(signup|email|confirm-email|password|login/code|reauthenticate"
        r"|3rdparty/$|social/connections)",
        _not_here,
    )
)
urlpatterns.append(path("accounts/", include("allauth.urls")))
urlpatterns.append(path("", include("filmstrip.syndication.urls")))
# Webmention and Pingback receivers (/webmention, /xmlrpc), ahead of the essays' catch-all.
urlpatterns.append(path("", include("filmstrip.backlinks.urls")))
urlpatterns.append(path("", include("filmstrip.stories.urls")))
