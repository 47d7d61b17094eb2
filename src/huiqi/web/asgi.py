"""ASGI entry point: ``huiqi.web.asgi:application``."""

import os

from django.core.asgi import get_asgi_application

from huiqi.web import SETTINGS_MODULE

os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
application = get_asgi_application()
