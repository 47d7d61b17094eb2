from django.apps import AppConfig


class ArrearsConfig(AppConfig):
    name = "huiqi.arrears"
    verbose_name = "拖欠账款投诉"

    def ready(self) -> None:
        from huiqi.cases import machine

        from .kind import ARREARS

        if ARREARS.key not in {t.key for t in machine.case_types()}:
            machine.register(ARREARS)
