"""API endpoints for calendars."""

from __future__ import annotations

from ninja import Router

router: Router = Router(tags=["Calendars"])
