"""JSON API endpoints of this app (mounted by huiqi.web.api)."""

from ninja import Router

router = Router()
