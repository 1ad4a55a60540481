from django.apps import AppConfig


class FormulairesConfig(AppConfig):
    name = "formulaires"
    verbose_name = "Formulaires de demande"
    default_auto_field = "django.db.models.BigAutoField"
