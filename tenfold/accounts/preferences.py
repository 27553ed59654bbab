"""Each signed-in person's own language and time zone, for every page they are served."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation


class PersonPreferencesMiddleware:
    """After the browser's language (LocaleMiddleware) and the sign-in: a person who chose a
    language gets it whatever their browser asks, and times are shown in their time zone when
    they chose one. People who chose nothing see no difference."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        zoned = False
        if user is not None and user.is_authenticated:
            language = getattr(user, "language", "")
            if language in self.languages:
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
            zone = getattr(user, "time_zone", "")
            if zone:
                try:
                    timezone.activate(zoneinfo.ZoneInfo(zone))
                    zoned = True
                except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                    pass
        try:
            return self.get_response(request)
        finally:
            if zoned:
                timezone.deactivate()
