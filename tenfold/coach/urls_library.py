from django.urls import URLPattern, path

from . import views_library as views

urlpatterns: list[URLPattern] = [
    path("<slug:org>/coach/examples/", views.library, name="library"),
    path("<slug:org>/coach/examples/<slug:code>/", views.library_example, name="library_example"),
    path(
        "<slug:org>/coach/examples/<slug:code>/use/",
        views.library_example_use,
        name="library_example_use",
    ),
]
