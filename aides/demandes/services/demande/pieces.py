"""The documents of an application: attached (a checked upload, or a document of the company's safe,
whose stored file the piece shares), replaced, removed, within the quotas."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum

from aides.demandes.documents import GENRE_PIECE
from aides.demandes.models.coffre import DocumentEntreprise
from aides.demandes.models.demande import Demande, PieceJointe
from aides.demandes.services.demande.depot import _verifier_brouillon
from crm.models import Entreprise
from portal.documents import document_deposer, documents_liberer
from portal.models import User
from portal.verification import FichierVerifie, taille_lisible


@transaction.atomic
def piece_ajouter(
    *,
    demande: Demande,
    verifie: FichierVerifie | None = None,
    par: User,
    type_piece: str = PieceJointe.AUTRE,
    message=None,
    coffre: DocumentEntreprise | None = None,
) -> PieceJointe:
    """Attach a checked file (`verifie`), or a document of the company's safe (`coffre`: the piece
    shares its stored file, nothing is copied). For a required document, the new file replaces the
    previous one.

    Quotas (count and total size) per application and per company account: checked under a lock of
    the company's row, so two uploads at once cannot both pass the last free place."""
    if message is None:
        _verifier_brouillon(demande)
    Entreprise.objects.select_for_update().filter(pk=demande.etablissement.entreprise_id).first()
    remplacees = (
        list(demande.pieces.filter(type_piece=type_piece, message=None))
        if message is None and type_piece != PieceJointe.AUTRE
        else []
    )
    source = coffre or verifie
    quotas_verifier(demande=demande, ajout=source.taille, remplacees=remplacees)
    pieces_supprimer(remplacees)
    piece = PieceJointe(
        demande=demande,
        message=message,
        type_piece=type_piece,
        nom_original=source.nom_original,
        taille=source.taille,
        type_mime=source.type_mime,
        sha256=source.sha256,
        depose_par=par,
        document=coffre.document if coffre else document_deposer(verifie, genre=GENRE_PIECE, par=par),
    )
    piece.full_clean()
    piece.save()
    return piece


def pieces_supprimer(pieces: list[PieceJointe]) -> None:
    """Delete pieces and the files no other row uses (a file shared with the safe stays)."""
    documents = [piece.document_id for piece in pieces]
    PieceJointe.objects.filter(pk__in=[piece.pk for piece in pieces]).delete()
    documents_liberer(documents)


def quotas_verifier(*, demande: Demande, ajout: int, remplacees: list[PieceJointe]) -> None:
    """Raise a French ValidationError if one more file of `ajout` bytes passes a quota."""

    ignorees = [p.pk for p in remplacees]
    pieces = PieceJointe.objects.exclude(pk__in=ignorees)
    par_demande = pieces.filter(demande=demande).aggregate(n=Count("pk"), octets=Sum("taille"))
    par_compte = pieces.filter(demande__etablissement__entreprise_id=demande.etablissement.entreprise_id).aggregate(
        n=Count("pk"), octets=Sum("taille")
    )
    for quotas, (nombre, octets), portee in (
        (settings.UPLOAD_QUOTA_DEMANDE, (par_demande["n"], par_demande["octets"] or 0), "cette demande"),
        (settings.UPLOAD_QUOTA_COMPTE, (par_compte["n"], par_compte["octets"] or 0), "le compte de l'entreprise"),
    ):
        max_fichiers, max_octets = quotas
        if nombre + 1 > max_fichiers:
            raise ValidationError(
                f"Vous avez déjà déposé {nombre} fichiers pour {portee} : c'est le maximum. Retirez un "
                "document inutile ou regroupez plusieurs pages dans un seul PDF.",
                code="quota",
            )
        if octets + ajout > max_octets:
            raise ValidationError(
                f"Les fichiers déposés pour {portee} pèsent déjà {taille_lisible(octets)} : ce fichier "
                f"dépasserait le maximum de {taille_lisible(max_octets)}. Retirez un document inutile ou "
                "réduisez la taille du fichier (PDF compressé).",
                code="quota",
            )


@transaction.atomic
def piece_supprimer(*, piece: PieceJointe) -> None:
    _verifier_brouillon(piece.demande)
    pieces_supprimer([piece])
