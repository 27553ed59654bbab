"""API endpoints for replies by email."""

from __future__ import annotations

from ninja import Router

router: Router = Router(tags=["Replies by email"])
