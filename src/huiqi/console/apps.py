from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "huiqi.console"
    verbose_name = "工作台"
