"""API endpoints for chat."""

from __future__ import annotations

from ninja import Router

router: Router = Router(tags=["Chat"])
