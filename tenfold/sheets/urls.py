from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("<slug:org>/import/", views.sheet_import, name="sheet_import"),
    path("<slug:org>/import/preview/", views.sheet_import_preview, name="sheet_import_preview"),
    path("<slug:org>/export/okrs.csv", views.sheet_export, {"fmt": "csv"}, name="sheet_export_csv"),
    path(
        "<slug:org>/export/okrs.xlsx",
        views.sheet_export,
        {"fmt": "xlsx"},
        name="sheet_export_xlsx",
    ),
    path("<slug:org>/export/okrs.md", views.sheet_export, {"fmt": "md"}, name="sheet_export_md"),
]
