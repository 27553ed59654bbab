"""API endpoints for digests."""

from __future__ import annotations

from ninja import Router

router: Router = Router(tags=["Digests"])
