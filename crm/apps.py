from django.apps import AppConfig
from django.urls import reverse


def _url_revue(document) -> str:
    return reverse("crm_agents:revue-document-fichier", args=[document.document_revue.pk])


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = "CRM"

    def ready(self) -> None:
        # Registers the CRM's own timeline sources (interactions, requests); other apps add theirs
        # with crm.timeline.source_enregistrer() in their own ready().
        # Project reviews (their pages are the CRM's, crm.views_revues_pages): timeline events, the EPCI
        # page's sections (territoires never imports the CRM: it renders what is registered here), their
        # PDFs, the reminders' task.
        from portal.acces import agent_avec_role
        from portal.documents import genre_enregistrer
        from territoires.extensions import PAGE_EPCI, section_enregistrer

        from . import revues, selectors, tasks_revues  # noqa: F401

        section_enregistrer(PAGE_EPCI, revues.section_epci_entreprises, ordre=20)
        section_enregistrer(PAGE_EPCI, revues.section_epci_sollicitations, ordre=30)
        genre_enregistrer(revues.GENRE_REVUE, generer=revues.revue_pdf, lisible=agent_avec_role, url_fichier=_url_revue)
