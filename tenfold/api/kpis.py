"""API endpoints for kpis."""

from ninja import Router

router = Router()
