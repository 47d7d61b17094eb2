from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "huiqi.enterprises"
    label = "enterprises"
    verbose_name = "企业名录"
