"""API endpoints for integrations."""

from __future__ import annotations

from ninja import Router

router: Router = Router(tags=["Integrations"])
