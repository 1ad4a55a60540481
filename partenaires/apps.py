from django.apps import AppConfig


class PartenairesConfig(AppConfig):
    name = "partenaires"
    verbose_name = "Partenaires et EPCI"

    def ready(self) -> None:
        # Imported here: the models they use are loaded only once the app registry is ready.
        from crm.timeline import source_enregistrer

        from . import sections
        from .timeline import orientations_entreprise

        source_enregistrer(orientations_entreprise)
        sections.enregistrer()
