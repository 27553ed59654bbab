from typing import Any

from django.conf import settings
from django.http import HttpRequest


def tenfold(request: HttpRequest) -> dict[str, Any]:
    return {"SITE_NAME": settings.SITE_NAME}
