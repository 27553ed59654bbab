from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    # Other systems send values here; the token is the credential (no session, no CSRF).
    path("feeds/<str:token>/", views.feed_push, name="feed_push"),
    path("<slug:org>/key-results/<str:code>/feed/", views.feed_config, name="kr_feed"),
    path("<slug:org>/key-results/<str:code>/feed/test/", views.feed_test, name="kr_feed_test"),
    path("<slug:org>/key-results/<str:code>/feed/sync/", views.feed_sync, name="kr_feed_sync"),
    path(
        "<slug:org>/key-results/<str:code>/feed/rotate/", views.feed_rotate, name="kr_feed_rotate"
    ),
    path(
        "<slug:org>/key-results/<str:code>/feed/delete/", views.feed_delete, name="kr_feed_delete"
    ),
]
