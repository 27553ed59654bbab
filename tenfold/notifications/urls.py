from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("<slug:org>/me/notifications/", views.my_notifications, name="my_notifications"),
    path(
        "<slug:org>/settings/notifications/",
        views.settings_notifications,
        name="settings_notifications",
    ),
    path(
        "<slug:org>/settings/integrations/",
        views.settings_integrations,
        name="settings_integrations",
    ),
    path(
        "<slug:org>/settings/integrations/hosts/delete/",
        views.allowed_host_delete,
        name="allowed_host_delete",
    ),
    path("<slug:org>/units/<str:code>/schedule/", views.unit_schedule, name="unit_schedule"),
]
