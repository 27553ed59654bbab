from django.urls import URLPattern, path

from .views import tree

urlpatterns: list[URLPattern] = [
    path("<slug:org>/tree/", tree.tree, name="tree"),
    path("<slug:org>/tree/units/<str:code>/", tree.tree_unit, name="tree_unit"),
    path("<slug:org>/tree/objectives/<str:code>/", tree.tree_objective, name="tree_objective"),
    path(
        "<slug:org>/tree/explain/<str:kind>/<str:code>/",
        tree.tree_explain,
        name="tree_explain",
    ),
]
