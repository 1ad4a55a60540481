from django.apps import AppConfig


class PilotageConfig(AppConfig):
    name = "pilotage"
    verbose_name = "Pilotage et statistiques"

    def ready(self) -> None:
        from portal.tableau import bloc_enregistrer, chiffres_enregistrer
        from territoires.extensions import PAGE_DISPOSITIF, section_enregistrer

        from . import a_faire, sections, selectors

        section_enregistrer(PAGE_DISPOSITIF, sections.section_dispositif)

        for bloc in a_faire.BLOCS:
            bloc_enregistrer(bloc)
        chiffres_enregistrer(selectors.chiffres_du_perimetre)
