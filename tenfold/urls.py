from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from tenfold.api.views import api
from tenfold.web.views.sso import sso_start


def _api_patterns() -> list[URLPattern | URLResolver]:
    """The API answers unauthenticated calls itself, with 401 and its error shape, instead of
    the login redirect that pages get."""
    patterns = api.urls[0]
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback.login_required = False  # type: ignore[attr-defined]
    return patterns


urlpatterns = [
    path("accounts/sso/", sso_start, name="sso_start"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", (_api_patterns(), *api.urls[1:])),
    path("help/", include("tenfold.guide.urls")),
    path("", include("tenfold.web.urls")),
]

# Django's 400 and 500 pages, except that a busy or lost database answers 503 "try again".
handler400 = "tenfold.db.unavailable.bad_request"
handler500 = "tenfold.db.unavailable.server_error"
