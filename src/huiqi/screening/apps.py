from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class ScreeningConfig(AppConfig):
    name = "huiqi.screening"
    verbose_name = "免申即享"

    def ready(self) -> None:
        from .population import drop_view, restore_view

        pre_migrate.connect(drop_view, sender=self, dispatch_uid="screening_drop_view")
        post_migrate.connect(restore_view, sender=self, dispatch_uid="screening_restore_view")
