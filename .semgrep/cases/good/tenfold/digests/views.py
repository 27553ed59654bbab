"""An allow-listed module: its one-click unsubscribe checks a signed token instead of the
CSRF cookie. A view anywhere else keeps CSRF protection: no finding."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


@csrf_exempt
@require_POST
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    return HttpResponse(token[:0])


@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")
