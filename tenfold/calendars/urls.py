from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("cal/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("<slug:org>/me/calendar/", views.my_calendar, name="my_calendar"),
    path("<slug:org>/me/calendar/reset/", views.my_calendar_reset, name="my_calendar_reset"),
    path(
        "<slug:org>/units/<str:code>/calendar/reset/",
        views.unit_calendar_reset,
        name="unit_calendar_reset",
    ),
]
