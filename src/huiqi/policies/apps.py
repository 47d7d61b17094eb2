from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "huiqi.policies"
    verbose_name = "政策库"
