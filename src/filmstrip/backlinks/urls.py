from django.urls import path

from . import views

app_name = "backlinks"
urlpatterns = [
    path("webmention", views.webmention, name="webmention"),
    path("xmlrpc", views.xmlrpc, name="xmlrpc"),
]
