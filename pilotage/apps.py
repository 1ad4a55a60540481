from django.apps import AppConfig


class PilotageConfig(AppConfig):
    name = "pilotage"
    verbose_name = "Pilotage et statistiques"

    def ready(self) -> None:
        from crm.timeline import source_enregistrer
        from portal.tableau import bloc_enregistrer, chiffres_enregistrer
        from territoires.extensions import PAGE_DISPOSITIF, section_enregistrer

        from . import a_faire, sections, selectors, tasks  # noqa: F401  (tasks: registers the Celery tasks)
        from .satisfaction import evenements_enquetes

        source_enregistrer(evenements_enquetes)

        section_enregistrer(PAGE_DISPOSITIF, sections.section_dispositif)

        for bloc in a_faire.BLOCS:
            bloc_enregistrer(bloc)
        chiffres_enregistrer(selectors.chiffres_du_perimetre)
