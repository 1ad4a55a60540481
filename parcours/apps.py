from django.apps import AppConfig
from django.urls import reverse


def _url_synthese(document) -> str:
    return reverse("parcours:synthese-fichier", args=[document.synthese_parcours.pk])


class ParcoursConfig(AppConfig):
    name = "parcours"
    verbose_name = "Parcours"

    def ready(self) -> None:
        # Imported here: the models are loaded only once the app registry is ready.
        from portal.documents import genre_enregistrer

        from .services import GENRE_SYNTHESE, synthese_pdf

        # A summary is public: whoever holds its (random) address sees it, as the page does.
        genre_enregistrer(
            GENRE_SYNTHESE, generer=synthese_pdf, lisible=lambda request, document: True, url_fichier=_url_synthese
        )
