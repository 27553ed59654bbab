"""API endpoints for carrying objectives into another cycle."""

from ninja import Router

router = Router()
