from django.apps import AppConfig


class AidesConfig(AppConfig):
    name = "aides"
    verbose_name = "Aides et conventions"

    def ready(self) -> None:
        from crm.timeline import source_enregistrer

        from .timeline import evenements_demandes

        source_enregistrer(evenements_demandes)

        from . import admin_demandes  # noqa: F401  (registers the applications' admin)
