from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("inbound/email/", views.inbound_email, name="inbound_email"),
    path("<slug:org>/settings/inbound/", views.settings_inbound, name="settings_inbound"),
]
