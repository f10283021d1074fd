from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
]
if settings.MEDIA_URL.startswith("/"):
    # Media on local disk: Filmstrip serves renditions itself (see photos/views.py).
    urlpatterns.append(path(settings.MEDIA_URL.lstrip("/"), include("filmstrip.photos.urls")))
urlpatterns.append(path("", include("filmstrip.stories.urls")))
