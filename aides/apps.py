from django.apps import AppConfig


class AidesConfig(AppConfig):
    name = "aides"
    verbose_name = "Aides et conventions"
