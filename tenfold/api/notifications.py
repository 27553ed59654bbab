"""API endpoints for notifications."""

from __future__ import annotations

from ninja import Router

router: Router = Router(tags=["Notifications"])
