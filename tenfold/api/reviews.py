"""API endpoints for reviews."""

from ninja import Router

router = Router()
