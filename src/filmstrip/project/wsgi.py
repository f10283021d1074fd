import os

from django.core.wsgi import get_wsgi_application

from filmstrip.project import datadir

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filmstrip.project.settings")
datadir.prepare()  # before WhiteNoise looks for the static folder
django_application = get_wsgi_application()

from filmstrip.project.forwarded import TrustedForwarding  # noqa: E402
from filmstrip.project.web_guard import WebGuard  # noqa: E402

# Published pages and renditions are sent as files, before Django (filmstrip.published).
from filmstrip.published.serving import PublishedFiles  # noqa: E402

application = TrustedForwarding(PublishedFiles(WebGuard(django_application)))
