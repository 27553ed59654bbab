from django.urls import URLPattern, path

from .views import dashboards

urlpatterns: list[URLPattern] = [
    path("<slug:org>/dashboard/", dashboards.company, name="dashboard"),
    path("<slug:org>/units/<str:code>/dashboard/", dashboards.team, name="team_dashboard"),
    path("<slug:org>/people/<int:user_id>/", dashboards.person, name="person"),
]
