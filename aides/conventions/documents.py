"""The kinds of portal.Document of aid conventions, registered in AidesConfig.ready(): the convention's
PDF (rendered in the background: portal.documents' state machine, job and poller) and the files the
company or the SAF upload (signed scans, payment proofs, the final report's and FEDER publicity
proofs), each owned by its row and served by that row's access-checked view."""

from django.urls import reverse

from aides.conventions.models.convention import ConventionAide
from aides.conventions.pdf import convention_pdf
from aides.conventions.services.convention import GENRE_CONVENTION, version_stockee
from aides.conventions.services.convention.signature import GENRE_SCAN
from aides.conventions.services.convention.versements import GENRE_PIECE_VERSEMENT
from aides.conventions.services.paiement.demandes import GENRE_PIECE_PAIEMENT
from aides.conventions.services.paiement.feder import GENRE_PREUVE_FEDER
from aides.conventions.services.paiement.rapports import GENRE_PREUVE_RAPPORT
from portal.documents import genre_enregistrer
from portal.models import Document
from portal.permissions import peut

# Kind → (how a convention reaches the document, the owner's access-checked page for it). The scan and
# the FEDER proof have no download of their own: their convention's or operation's page names them.
GENRES = {
    GENRE_CONVENTION: (
        "versions__document",
        lambda d: reverse("aides_saf:version", args=[d.version_convention.convention_id, d.version_convention.pk]),
    ),
    GENRE_SCAN: ("signatures__scan", lambda d: reverse("aides_saf:convention", args=[d.signature_scan.convention_id])),
    GENRE_PIECE_VERSEMENT: (
        "versements__pieces__document",
        lambda d: reverse("aides_saf:piece", args=[d.piece_versement.versement.convention_id, d.piece_versement.pk]),
    ),
    GENRE_PIECE_PAIEMENT: (
        "demandes_versement__pieces__document",
        lambda d: reverse(
            "aides_saf:versement-piece",
            args=[d.piece_demande_versement.demande_versement_id, d.piece_demande_versement.pk],
        ),
    ),
    GENRE_PREUVE_RAPPORT: (
        "rapport_final__preuve",
        lambda d: reverse("aides_saf:rapport-preuve", args=[d.rapport_final_preuve.convention_id]),
    ),
    GENRE_PREUVE_FEDER: (
        "operation_feder__preuves__document",
        lambda d: reverse("aides_saf:feder-operation", args=[d.preuve_publicite_feder.operation_id]),
    ),
}


def lisible_par_le_saf(request, document: Document) -> bool:
    """The status endpoint's rule for every kind of conventions: the agents who read the convention
    (FEDER: co-financed ones only), as its SAF page does; the company reads its files on its own pages."""
    chemin, _ = GENRES[document.genre]
    convention = ConventionAide.objects.filter(**{chemin: document}).first()
    return convention is not None and peut(request.user, "convention", "lire", cible=convention)


def genres_enregistrer() -> None:
    for genre, (_, url) in GENRES.items():
        options = {"generer": convention_pdf, "apres_stockage": version_stockee} if genre == GENRE_CONVENTION else {}
        genre_enregistrer(genre, lisible=lisible_par_le_saf, url_fichier=url, **options)
