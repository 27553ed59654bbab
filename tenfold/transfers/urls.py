from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("<slug:org>/settings/data/", views.transfers_page, name="transfers"),
    path("<slug:org>/settings/data/<str:code>/", views.transfer_status, name="transfer_status"),
    path(
        "<slug:org>/settings/data/<str:code>/cancel/",
        views.transfer_cancel,
        name="transfer_cancel",
    ),
    path(
        "<slug:org>/settings/data/<str:code>/download/",
        views.transfer_download,
        name="transfer_download",
    ),
    path("transfers/imports/", views.import_page, name="transfer_import"),
    path("transfers/imports/<str:code>/", views.import_status, name="transfer_import_status"),
    path(
        "transfers/imports/<str:code>/cancel/",
        views.import_cancel,
        name="transfer_import_cancel",
    ),
]
