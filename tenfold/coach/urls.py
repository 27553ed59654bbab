from django.urls import URLPattern, path

from . import views, views_wizard

urlpatterns: list[URLPattern] = [
    path("<slug:org>/coach/", views.coach_cycle, name="coach"),
    path("<slug:org>/coach/check/", views.coach_check, name="coach_check"),
    path("<slug:org>/coach/duplicates/", views.coach_duplicates, name="coach_duplicates"),
    path(
        "<slug:org>/objectives/<str:code>/coach/",
        views.coach_objective,
        name="coach_objective",
    ),
    path("<slug:org>/coach/wizard/", views_wizard.wizard, name="wizard"),
]
