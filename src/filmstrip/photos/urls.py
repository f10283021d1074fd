from django.urls import path

from . import views

app_name = "photos"
urlpatterns = [path("r/<path:name>", views.rendition, name="rendition")]
