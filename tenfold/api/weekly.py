"""API endpoints for weekly reports and their items."""

from ninja import Router

router = Router()
