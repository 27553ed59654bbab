from django.urls import URLPattern, path

from .views import planning

urlpatterns: list[URLPattern] = [
    path("<slug:org>/planning/", planning.planning_next, name="planning_next"),
    path("<slug:org>/cycles/<str:code>/planning/", planning.planning_board, name="planning"),
    path(
        "<slug:org>/cycles/<str:code>/alignment/",
        planning.alignment_session,
        name="alignment_session",
    ),
    path("<slug:org>/approvals/", planning.approvals, name="approvals"),
    path(
        "<slug:org>/planning/objectives/<str:code>/propose/",
        planning.objective_propose,
        name="objective_propose",
    ),
    path(
        "<slug:org>/planning/objectives/<str:code>/approve/",
        planning.objective_approve,
        name="objective_approve",
    ),
    path(
        "<slug:org>/planning/objectives/<str:code>/return/",
        planning.objective_return,
        name="objective_return",
    ),
    path(
        "<slug:org>/planning/objectives/<str:code>/activate/",
        planning.objective_activate,
        name="objective_activate",
    ),
]
