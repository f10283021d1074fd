from django.urls import path

from . import api, desk, facts, site_settings, views

app_name = "studio"
urlpatterns = [
    path("", views.essay_list, name="list"),
    path("new", views.essay_new, name="new"),
    path("author", views.author_name, name="author"),
    path("comments", desk.page, name="desk"),
    path("comments/decide", desk.decide, name="desk_decide"),
    path("comments/<int:pk>/reply", desk.reply, name="desk_reply"),
    path("settings", site_settings.page, name="site_settings"),
    path("settings/save", site_settings.save, name="site_settings_save"),
    path("<int:pk>/", views.editor, name="editor"),
    path("<int:pk>/save", api.save_essay, name="save"),
    path("<int:pk>/text", api.add_text, name="add_text"),
    path("<int:pk>/delete", api.delete_items, name="delete"),
    path("<int:pk>/order", api.order, name="order"),
    path("<int:pk>/status", api.status, name="status"),
    path("<int:pk>/publish", views.publish, name="publish"),
    path("<int:pk>/unpublish", views.unpublish, name="unpublish"),
    path("<int:pk>/address", facts.address_and_tags, name="address"),
    path("<int:pk>/delete-essay", facts.delete_essay, name="delete_essay"),
    path("<int:pk>/history", views.history, name="history"),
    path("<int:pk>/history/<int:revision_id>/restore", views.restore, name="restore"),
    path("<int:pk>/uploads", api.upload_start, name="upload_start"),
    path("uploads/<uuid:upload_id>", api.upload_chunk, name="upload_chunk"),
    path("items/<int:pk>/save", api.save_item, name="save_item"),
    path("items/<int:pk>/retry", api.retry, name="retry"),
    path("items/<int:pk>/rotate", api.rotate, name="rotate"),
]
