from django.conf import settings as django_settings

from filmstrip.sitesettings.models import current


def site(request):
    """What every page shows of the site: its title and tagline, and whose site it is."""
    chosen = current()
    return {
        "site_title": chosen.site_title,
        "site_tagline": chosen.tagline,
        "site_author": chosen.author_name,
        "site_bio": chosen.author_bio,
        "site_url": django_settings.SITE_URL,
    }
