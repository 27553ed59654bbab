from django.urls import URLPattern, path

from . import views_health

urlpatterns: list[URLPattern] = [
    path("<slug:org>/coach/health/", views_health.health, name="health"),
    path("<slug:org>/units/<str:code>/health/", views_health.health_unit, name="health_unit"),
]
