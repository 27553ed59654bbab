from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    # Before the thread route, whose <kind>/<code> would otherwise swallow "<code>/edit".
    path("<slug:org>/comments/<str:code>/edit/", views.comment_edit, name="comment_edit"),
    path("<slug:org>/comments/<str:code>/delete/", views.comment_delete, name="comment_delete"),
    path("<slug:org>/comments/<str:kind>/<str:code>/", views.comments, name="comments"),
    path("<slug:org>/reactions/<str:kind>/<str:code>/", views.reactions, name="reactions"),
    path("<slug:org>/mentions/read/", views.mentions_read, name="mentions_read"),
    path("<slug:org>/activity/", views.activity, name="activity"),
    path("<slug:org>/units/<str:code>/activity/", views.unit_activity, name="unit_activity"),
]
