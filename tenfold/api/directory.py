"""API router (being written)."""

from __future__ import annotations

from ninja import Router

router: Router = Router(tags=["People and units"])
