"""Presentation mode: the company dashboard and a cycle's reviews as slides."""

from django.urls import URLPattern, path

from .views import present

urlpatterns: list[URLPattern] = [
    path("<slug:org>/dashboard/present/", present.dashboard, name="present_dashboard"),
    path(
        "<slug:org>/cycles/<str:code>/reviews/present/",
        present.reviews,
        name="present_reviews",
    ),
]
