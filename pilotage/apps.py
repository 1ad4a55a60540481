from django.apps import AppConfig
from django.urls import reverse


def _url_rapport(document) -> str:
    return reverse("pilotage:rapport-fichier", args=[document.rapport_pilotage.pk])


class PilotageConfig(AppConfig):
    name = "pilotage"
    verbose_name = "Pilotage et statistiques"

    def ready(self) -> None:
        # Imported here: the registries are filled once every app's models are loaded.
        from crm.timeline import source_enregistrer
        from portal.acces import agent_avec_role
        from portal.documents import genre_enregistrer
        from portal.tableau import bloc_enregistrer, chiffres_enregistrer
        from territoires.extensions import PAGE_DISPOSITIF, section_enregistrer

        from . import a_faire, sections, selectors, tasks  # noqa: F401  (tasks: registers the Celery tasks)
        from .rapport import GENRE_RAPPORT, rapport_pdf
        from .satisfaction import evenements_enquetes

        source_enregistrer(evenements_enquetes)

        section_enregistrer(PAGE_DISPOSITIF, sections.section_dispositif)

        for bloc in a_faire.BLOCS:
            bloc_enregistrer(bloc)
        chiffres_enregistrer(selectors.chiffres_du_perimetre)
        genre_enregistrer(GENRE_RAPPORT, generer=rapport_pdf, lisible=agent_avec_role, url_fichier=_url_rapport)
