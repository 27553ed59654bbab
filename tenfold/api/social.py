"""API endpoints for comments, reactions, mentions and the activity feed."""

from ninja import Router

router = Router()
