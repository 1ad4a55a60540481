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
        # Project reviews: timeline events, the review page's agenda and the EPCI page's sections
        # (territoires never imports the CRM: it renders what is registered here), their PDFs.
        from portal.acces import agent_avec_role
        from portal.documents import genre_enregistrer
        from territoires.extensions import PAGE_EPCI, PAGE_REVUE, section_enregistrer

        from . import revues, selectors  # noqa: F401

        section_enregistrer(PAGE_REVUE, revues.section_revue, ordre=10)
        section_enregistrer(PAGE_EPCI, revues.section_epci_entreprises, ordre=20)
        section_enregistrer(PAGE_EPCI, revues.section_epci_sollicitations, ordre=30)
        genre_enregistrer(revues.GENRE_REVUE, generer=revues.revue_pdf, lisible=agent_avec_role, url_fichier=_url_revue)
