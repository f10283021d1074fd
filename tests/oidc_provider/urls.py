from django.contrib.auth.views import LoginView
from django.http import HttpResponse
from django.urls import include, path

from .validator import TAMPER


def tamper(request):
    TAMPER["audience"] = request.GET.get("audience") or None
    return HttpResponse("ok")


urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("tamper/", tamper),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
