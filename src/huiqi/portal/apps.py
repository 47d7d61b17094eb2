from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "huiqi.portal"
    verbose_name = "门户"
