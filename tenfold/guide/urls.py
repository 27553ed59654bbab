from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("", views.index, name="guide_index"),
    path("images/<str:name>", views.image, name="guide_image"),
    path("<slug:slug>/", views.page, name="guide_page"),
]
