"""The Django project of the platform: settings, URLs, WSGI and ASGI entry points.

The apps live beside it in the package (:mod:`huiqi.accounts`, :mod:`huiqi.enterprises`,
:mod:`huiqi.audit`); ``huiqi manage …`` runs Django's management commands with these settings.
"""

SETTINGS_MODULE = "huiqi.web.settings"
