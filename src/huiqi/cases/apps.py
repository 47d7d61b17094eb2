from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "huiqi.cases"
    verbose_name = "诉求办理"
