from django.apps import AppConfig


class PilotageConfig(AppConfig):
    name = "pilotage"
    verbose_name = "Pilotage et statistiques"

    def ready(self) -> None:
        from portal.tableau import bloc_enregistrer, chiffres_enregistrer

        from . import a_faire, selectors

        for bloc in a_faire.BLOCS:
            bloc_enregistrer(bloc)
        chiffres_enregistrer(selectors.chiffres_du_perimetre)
