from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = "CRM"

    def ready(self) -> None:
        # Registers the CRM's own timeline sources (interactions, requests); other apps add theirs
        # with crm.timeline.source_enregistrer() in their own ready().
        # Project reviews (their pages are the CRM's, crm.views_revues_pages): timeline events, the EPCI
        # page's sections (territoires never imports the CRM: it renders what is registered here), the
        # PDF task.
        from territoires.extensions import PAGE_EPCI, section_enregistrer

        from . import (  # noqa: F401
            revues,
            selectors,  # noqa: F401
            tasks_revues,
        )

        section_enregistrer(PAGE_EPCI, revues.section_epci_entreprises, ordre=20)
        section_enregistrer(PAGE_EPCI, revues.section_epci_sollicitations, ordre=30)
