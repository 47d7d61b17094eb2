from django.apps import AppConfig


class CalculatorConfig(AppConfig):
    name = "huiqi.calculator"
    verbose_name = "政策计算器"
