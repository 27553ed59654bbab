from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("<slug:org>/settings/webhooks/", views.webhook_list, name="webhooks"),
    path("<slug:org>/settings/webhooks/new/", views.webhook_new, name="webhook_new"),
    path("<slug:org>/settings/webhooks/<str:code>/", views.webhook_detail, name="webhook"),
    path("<slug:org>/settings/webhooks/<str:code>/edit/", views.webhook_edit, name="webhook_edit"),
    path(
        "<slug:org>/settings/webhooks/<str:code>/delete/",
        views.webhook_delete,
        name="webhook_delete",
    ),
    path("<slug:org>/settings/webhooks/<str:code>/test/", views.webhook_test, name="webhook_test"),
    path(
        "<slug:org>/settings/webhooks/<str:code>/rotate-secret/",
        views.webhook_rotate,
        name="webhook_rotate",
    ),
    path(
        "<slug:org>/settings/webhooks/<str:code>/redeliver/",
        views.webhook_redeliver,
        name="webhook_redeliver",
    ),
]
