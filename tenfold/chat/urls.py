from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("<slug:org>/units/<str:code>/chat/", views.unit_chat, name="unit_chat"),
    path("<slug:org>/units/<str:code>/chat/add/", views.unit_chat_add, name="unit_chat_add"),
    path("<slug:org>/chat/<str:code>/edit/", views.chat_channel_edit, name="chat_channel_edit"),
    path(
        "<slug:org>/chat/<str:code>/delete/", views.chat_channel_delete, name="chat_channel_delete"
    ),
    path("<slug:org>/chat/<str:code>/test/", views.chat_channel_test, name="chat_channel_test"),
]
