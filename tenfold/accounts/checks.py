"""System checks that refuse a dangerous configuration before the server starts."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=False)
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if len(settings.SECRET_KEY) < 32:
        return [
            Error(
                "SECRET_KEY is too short to be safe.",
                hint="Set the SECRET_KEY environment variable to a random string of at least "
                "32 characters (see .env.example), or unset it to use a generated one.",
                id="tenfold.E001",
            )
        ]
    return []
