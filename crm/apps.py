from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = "CRM"

    def ready(self) -> None:
        # Registers the CRM's own timeline sources (interactions, requests); other apps add theirs
        # with crm.timeline.source_enregistrer() in their own ready().
        # Project reviews: timeline events, the review page's agenda and the EPCI page's sections
        # (territoires never imports the CRM: it renders what is registered here), the PDF task.
        from territoires.extensions import PAGE_EPCI, PAGE_REVUE, section_enregistrer

        from . import (  # noqa: F401
            revues,
            selectors,  # noqa: F401
            tasks_revues,
        )

        section_enregistrer(PAGE_REVUE, revues.section_revue, ordre=10)
        section_enregistrer(PAGE_EPCI, revues.section_epci_entreprises, ordre=20)
        section_enregistrer(PAGE_EPCI, revues.section_epci_sollicitations, ordre=30)
