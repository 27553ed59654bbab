from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("<slug:org>/digest/", views.digest_page, name="digest"),
    path("<slug:org>/digest/send/", views.digest_send, name="digest_send"),
    path(
        "<slug:org>/settings/subscribers/",
        views.settings_subscribers,
        name="settings_subscribers",
    ),
    path("<slug:org>/settings/subscribers/add/", views.subscriber_add, name="subscriber_add"),
    path(
        "<slug:org>/settings/subscribers/<str:code>/",
        views.subscriber_edit,
        name="subscriber_edit",
    ),
    path(
        "<slug:org>/settings/subscribers/<str:code>/delete/",
        views.subscriber_delete,
        name="subscriber_delete",
    ),
    path("digests/unsubscribe/<str:token>/", views.unsubscribe, name="digest_unsubscribe"),
]
