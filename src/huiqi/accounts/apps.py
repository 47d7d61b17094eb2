from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "huiqi.accounts"
    label = "accounts"
    verbose_name = "账户与权限"
