from django.urls import URLPattern, path

from .views import search

urlpatterns: list[URLPattern] = [
    path("<slug:org>/search/", search.search, name="search"),
    path("<slug:org>/week/team/", search.my_team_week, name="my_team_week"),
]
