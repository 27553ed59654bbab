"""API endpoints for key-result data feeds."""

from __future__ import annotations

from ninja import Router

router: Router = Router(tags=["Key-result data feeds"])
