"""Carry-over of objectives into the next cycle, and duplicating an objective."""

from django.urls import URLPattern, path

from .views import carryover

urlpatterns: list[URLPattern] = [
    path("<slug:org>/cycles/<str:code>/carry-over/", carryover.carryover, name="carryover"),
    path(
        "<slug:org>/objectives/<str:code>/duplicate/",
        carryover.objective_duplicate,
        name="objective_duplicate",
    ),
]
