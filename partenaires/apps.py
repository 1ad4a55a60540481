from django.apps import AppConfig


class PartenairesConfig(AppConfig):
    name = "partenaires"
    verbose_name = "Partenaires et EPCI"

    def ready(self) -> None:
        from crm.timeline import source_enregistrer

        from .timeline import orientations_entreprise

        source_enregistrer(orientations_entreprise)
