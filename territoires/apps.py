from django.apps import AppConfig
from django.urls import reverse


def _url_piece(document) -> str:
    piece = document.piece_convention_epci
    return reverse("territoires_agents:piece-telecharger", args=[piece.convention_id, piece.pk])


class TerritoiresConfig(AppConfig):
    name = "territoires"
    verbose_name = "Territoires"

    def ready(self) -> None:
        from portal.documents import genre_enregistrer
        from territoires.services import GENRE_PIECE_CONVENTION

        # Uploaded, « prêt » at once: never polled (the status endpoint refuses it); the download
        # view of the convention checks the access.
        genre_enregistrer(GENRE_PIECE_CONVENTION, lisible=lambda request, document: False, url_fichier=_url_piece)
