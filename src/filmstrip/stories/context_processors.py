from django.conf import settings as django_settings

from filmstrip.conf import settings


def site(request):
    return {"site_title": settings.SITE_TITLE, "site_url": django_settings.SITE_URL}
