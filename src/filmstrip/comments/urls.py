from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [
    path("<str:slug>/form", views.form_tokens, name="form"),
    path("<str:slug>/confirm", views.confirm, name="confirm"),
    path("<str:slug>/post", views.post, name="post"),
    path("unsubscribe/<str:token>", views.unsubscribe, name="unsubscribe"),
    path("edit/<int:pk>", views.edit, name="edit"),
]
