"""Documents of applications and company accounts: their kinds of portal.Document, files waiting for
their form, and the download of a stored document.

Uploads are checked by `portal.verification.fichier_verifier` (content, size, name) and stored by
`portal.documents.document_deposer` under a name chosen by the server (documents/<kind>/<uuid>.<ext>
in the storage, disk or S3, outside static/); the owner row (PieceJointe, DocumentEntreprise, Membre)
points to the Document and keeps the name the user gave, for display.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.files import File
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from aides.demandes.acces import a_un_compte_entreprise
from portal.documents import (
    document_deposer,
    document_reponse,
    documents_sans_proprietaire,
    documents_supprimer,
    genre_enregistrer,
)
from portal.fichiers import reponse_fichier
from portal.journal import telechargement_journaliser
from portal.models import Document
from portal.verification import FichierVerifie

# The kinds of uploaded documents (portal.Document.genre). Their status is never polled (they are
# « prêt » at once): the status endpoint refuses them; each is served by its owner's view.
GENRE_PIECE = "aides.piece"
GENRE_COFFRE = "aides.coffre"
GENRE_JUSTIFICATIF = "aides.justificatif"
GENRE_DELEGATION = "aides.delegation"
GENRE_EN_ATTENTE = "aides.en_attente"  # a file waiting for its form to be sent again (below)


def _illisible(request, document) -> bool:
    return False


def genres_enregistrer() -> None:
    """Called by AidesConfig.ready()."""
    urls = {
        GENRE_PIECE: lambda d: reverse("espace:piece", args=[d.pieces_demande.earliest("pk").pk]),
        GENRE_COFFRE: lambda d: reverse("espace:coffre-document", args=[d.document_coffre.pk]),
        GENRE_JUSTIFICATIF: lambda d: reverse("espace:membre-fichier", args=[d.membre_justificatif.pk, "justificatif"]),
        GENRE_DELEGATION: lambda d: reverse("espace:membre-fichier", args=[d.membre_delegation.pk, "delegation"]),
        # Served by no view: the form that keeps it lists its name; sent again, it becomes a piece.
        GENRE_EN_ATTENTE: lambda d: "",
    }
    for genre, url in urls.items():
        genre_enregistrer(genre, lisible=_illisible, url_fichier=url)


# --- Files waiting for their form ------------------------------------------------------------------
# A checked file sent with a form that is refused for another reason (another file, a missing text)
# is kept as a portal.Document of no row (GENRE_EN_ATTENTE) and listed on the re-displayed form: the
# user does not choose it again. The form carries the list, signed for that form (application and
# user), in a hidden field; files older than a day are no longer accepted, and purged (with any
# Document no row owns, by the nightly purge of portal.documents).

SEL_ATTENTE = "aides.demandes.documents.en-attente"
VALIDITE_ATTENTE = timedelta(days=1)


@dataclass
class FichierEnAttente:
    document: str  # the portal.Document's id
    nom_original: str
    taille: int
    type_mime: str
    sha256: str

    def verifie(self) -> FichierVerifie:
        """The stored file, as if just uploaded and checked (for piece_ajouter)."""
        fichier = Document.objects.get(pk=self.document).fichier
        return FichierVerifie(
            fichier=File(fichier.storage.open(fichier.name, "rb"), name=self.nom_original),
            nom_original=self.nom_original,
            taille=self.taille,
            type_mime=self.type_mime,
            sha256=self.sha256,
        )


def fichier_mettre_en_attente(verifie: FichierVerifie) -> FichierEnAttente:
    verifie.fichier.seek(0)
    document = document_deposer(verifie, genre=GENRE_EN_ATTENTE)
    return FichierEnAttente(
        document=str(document.pk),
        nom_original=verifie.nom_original,
        taille=verifie.taille,
        type_mime=verifie.type_mime,
        sha256=verifie.sha256,
    )


def fichiers_en_attente_signer(fichiers: list[FichierEnAttente], *, cle: str) -> str:
    if not fichiers:
        return ""
    return signing.dumps([vars(f) for f in fichiers], salt=f"{SEL_ATTENTE}:{cle}", compress=True)


def _en_attente(ids) -> QuerySet[Document]:
    return documents_sans_proprietaire(Document.objects.filter(pk__in=ids, genre=GENRE_EN_ATTENTE))


def fichiers_en_attente_lire(jeton: str, *, cle: str) -> list[FichierEnAttente]:
    """The files listed by a form's signed value; a forged, expired or used list gives nothing."""
    if not jeton:
        return []
    try:
        liste = signing.loads(jeton, salt=f"{SEL_ATTENTE}:{cle}", max_age=VALIDITE_ATTENTE)
        fichiers = [FichierEnAttente(**infos) for infos in liste]
        ids = [uuid.UUID(f.document) for f in fichiers]
    except (signing.BadSignature, TypeError, ValueError, AttributeError):
        return []
    presents = {str(pk) for pk in _en_attente(ids).values_list("pk", flat=True)}
    return [f for f in fichiers if f.document in presents]


def fichiers_en_attente_supprimer(fichiers: list[FichierEnAttente]) -> None:
    if fichiers:
        documents_supprimer(_en_attente([f.document for f in fichiers]))


def fichiers_en_attente_purger(*, plus_vieux_que: timedelta = VALIDITE_ATTENTE) -> int:
    """Delete the waiting files of forms never sent again (no signed list accepts them any more)."""
    vieux = Document.objects.filter(genre=GENRE_EN_ATTENTE, cree_le__lt=timezone.now() - plus_vieux_que)
    return documents_supprimer(documents_sans_proprietaire(vieux))


def telechargement_verifie(request, pk: int, *, obtenir, objet: str, siren):
    """The download of a piece or a safe document, for companies and staff: the access-checked getter
    `obtenir(request, pk)` (an outsider gets 404), the download journal (`siren(owner)`: its company),
    the file with the name the user gave it (sanitised)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_staff and not a_un_compte_entreprise(request.user):
        raise Http404
    proprietaire = obtenir(request, pk)
    telechargement_journaliser(
        request, objet=objet, objet_id=proprietaire.pk, nom_fichier=proprietaire.nom_original, siren=siren(proprietaire)
    )
    return document_reponse(request, proprietaire.document, nom=proprietaire.nom_original)


def reponse_telechargement(request, piece):
    """Serve a row's own stored file as an attachment, with its original (sanitised) name (the payment
    pieces of aides.conventions, until they move onto portal.Document)."""
    return reponse_fichier(request, piece.fichier, nom=piece.nom_original, type_mime=piece.type_mime)
