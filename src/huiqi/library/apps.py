from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "huiqi.library"
    verbose_name = "法规库"
