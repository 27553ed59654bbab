"""A view taken out of CSRF protection outside the allow-list: each line after an "expect"
comment is a finding."""

from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt


# expect: tenfold-csrf-exempt-outside-allow-list
@csrf_exempt
def ping(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


# expect: tenfold-csrf-exempt-outside-allow-list
@method_decorator(csrf_exempt, name="dispatch")
class Hook(View):
    def post(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")
