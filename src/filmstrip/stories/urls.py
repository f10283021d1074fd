from django.urls import path

from . import views

app_name = "stories"
urlpatterns = [
    path("", views.story_list, name="list"),
    path("tags/<str:slug>/", views.tag_detail, name="tag"),
    path("<str:slug>/", views.story_detail, name="detail"),
    path("<str:slug>/photos/<int:photo_id>/", views.photo_detail, name="photo"),
    path("<str:slug>/photos/<int:photo_id>/original", views.original, name="original"),
]
