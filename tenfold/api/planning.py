"""API endpoints for planning."""

from ninja import Router

router = Router()
