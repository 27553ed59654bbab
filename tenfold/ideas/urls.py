from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("<slug:org>/ideas/", views.board, name="ideas"),
    # Before the idea's own routes, whose <code> would otherwise swallow "add" and "comments".
    path("<slug:org>/ideas/add/", views.idea_add, name="idea_add"),
    path(
        "<slug:org>/ideas/comments/<str:code>/edit/",
        views.idea_comment_edit,
        name="idea_comment_edit",
    ),
    path(
        "<slug:org>/ideas/comments/<str:code>/delete/",
        views.idea_comment_delete,
        name="idea_comment_delete",
    ),
    path("<slug:org>/ideas/<str:code>/", views.idea_detail, name="idea"),
    path("<slug:org>/ideas/<str:code>/edit/", views.idea_edit, name="idea_edit"),
    path("<slug:org>/ideas/<str:code>/vote/", views.idea_vote, name="idea_vote"),
    path("<slug:org>/ideas/<str:code>/comments/", views.idea_comment_add, name="idea_comment_add"),
    path("<slug:org>/ideas/<str:code>/archive/", views.idea_archive, name="idea_archive"),
    path("<slug:org>/ideas/<str:code>/reopen/", views.idea_reopen, name="idea_reopen"),
    path("<slug:org>/ideas/<str:code>/promote/", views.idea_promote, name="idea_promote"),
]
