from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("<slug:org>/kpis/", views.kpi_list, name="kpis"),
    path("<slug:org>/kpis/new/", views.kpi_new, name="kpi_new"),
    path("<slug:org>/kpis/<str:code>/", views.kpi_detail, name="kpi"),
    path("<slug:org>/kpis/<str:code>/edit/", views.kpi_edit, name="kpi_edit"),
    path("<slug:org>/kpis/<str:code>/values/", views.kpi_value_add, name="kpi_value_add"),
    path("<slug:org>/kpis/<str:code>/write-okr/", views.kpi_write_okr_view, name="kpi_write_okr"),
]
