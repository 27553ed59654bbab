"""API endpoints for webhooks."""

from __future__ import annotations

from ninja import Router

router: Router = Router(tags=["Webhooks"])
