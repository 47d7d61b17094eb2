from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "huiqi.screening"
    verbose_name = "免申即享"
