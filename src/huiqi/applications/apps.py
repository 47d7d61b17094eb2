from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "huiqi.applications"
    verbose_name = "政策申报"

    def ready(self) -> None:
        from . import casetype, signals

        casetype.register_type()
        signals.connect()
