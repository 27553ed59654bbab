from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("<slug:org>/habits/", views.habits, name="habits"),
    path("<slug:org>/kudos/checkins/<str:code>/", views.kudos_checkin, name="kudos_checkin"),
    path("<slug:org>/kudos/items/<str:code>/", views.kudos_item, name="kudos_item"),
]
