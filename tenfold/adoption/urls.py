from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("<slug:org>/adoption/", views.adoption, name="adoption"),
    path("<slug:org>/adoption/shape/", views.adoption_shape, name="adoption_shape"),
    path(
        "<slug:org>/adoption/first-cycle/", views.adoption_first_cycle, name="adoption_first_cycle"
    ),
    path("<slug:org>/adoption/steps/", views.adoption_item_add, name="adoption_item_add"),
    path(
        "<slug:org>/adoption/steps/<str:code>/check/",
        views.adoption_item_check,
        name="adoption_item_check",
    ),
    path(
        "<slug:org>/adoption/steps/<str:code>/edit/",
        views.adoption_item_edit,
        name="adoption_item_edit",
    ),
    path(
        "<slug:org>/adoption/steps/<str:code>/move/",
        views.adoption_item_move,
        name="adoption_item_move",
    ),
    path(
        "<slug:org>/adoption/steps/<str:code>/delete/",
        views.adoption_item_delete,
        name="adoption_item_delete",
    ),
    path("<slug:org>/adoption/sandbox/", views.sandbox_open_view, name="sandbox_open"),
    path("<slug:org>/adoption/sandbox/reset/", views.sandbox_reset_view, name="sandbox_reset"),
    path("<slug:org>/adoption/sandbox/delete/", views.sandbox_delete_view, name="sandbox_delete"),
]
