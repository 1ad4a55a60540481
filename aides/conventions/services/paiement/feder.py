from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max as models_max
from django.utils import timezone

from aides.conventions.actions import MACHINE_APPEL
from aides.conventions.models.feder import (
    AppelDeFonds,
    ControleFeder,
    LigneEtatDepenses,
    OperationFeder,
    PreuvePublicite,
)
from aides.conventions.models.paiement import (
    DemandeVersement,
)
from aides.conventions.services.paiement.calculs import ZERO, Etat, au_cent
from portal.documents import document_deposer, documents_supprimer
from portal.models import Document, User
from portal.verification import FichierVerifie

# The kind of portal.Document a FEDER publicity proof is (registered in AidesConfig.ready).
GENRE_PREUVE_FEDER = "aides.feder.preuve"


@transaction.atomic
def appel_de_fonds_creer(*, operation_id: int, demande_versement_id: int, par: User):
    """A FEDER claim from an accepted payment request of the operation's convention: its retained
    lines become the expense statement; the EU amount is the retained expenses × the EU rate."""

    operation = OperationFeder.objects.select_for_update().get(pk=operation_id)
    demande = DemandeVersement.objects.select_for_update().get(pk=demande_versement_id)
    if demande.convention_id != operation.convention_id or demande.etat != Etat.ACCEPTEE:
        raise ValidationError("Seule une demande de versement acceptée de cette convention fait un appel de fonds.")
    if AppelDeFonds.objects.filter(demande_versement=demande).exists():
        raise ValidationError("Cette demande de versement a déjà son appel de fonds.")
    retenues = list(demande.lignes.filter(retenue=True))
    depenses = sum((ligne.montant_ht for ligne in retenues), ZERO) or (demande.montant_retenu or ZERO)
    numero = (operation.appels.aggregate(m=models_max("numero"))["m"] or 0) + 1
    appel = AppelDeFonds(
        operation=operation,
        numero=numero,
        depenses_declarees=depenses,
        montant_ue=au_cent(depenses * operation.taux_ue / 100),
        demande_versement=demande,
    )
    appel.full_clean()
    appel.save()
    LigneEtatDepenses.objects.bulk_create(
        [
            LigneEtatDepenses(
                appel=appel,
                fournisseur=ligne.fournisseur,
                piece=ligne.numero_facture,
                date_piece=ligne.date_facture,
                montant_ht=ligne.montant_ht,
            )
            for ligne in retenues
        ]
    )
    return appel


@transaction.atomic
def appel_de_fonds_avancer(*, appel_id: int, par: User, rejeter: bool = False, depenses_retenues=None):
    """déposé → contrôlé (service fait, retained expenses) → certifié → payé; or rejeté."""

    appel = AppelDeFonds.objects.select_for_update().get(pk=appel_id)
    if appel.etat not in MACHINE_APPEL.actions["rejeter" if rejeter else "avancer"]:
        raise ValidationError(f"Cet appel de fonds est déjà « {appel.get_etat_display().lower()} ».")
    if rejeter:
        appel.etat = AppelDeFonds.Etat.REJETE
    else:
        appel.etat = AppelDeFonds.SUIVANT[appel.etat]
        if appel.etat == AppelDeFonds.Etat.CONTROLE:
            appel.depenses_retenues = depenses_retenues if depenses_retenues is not None else appel.depenses_declarees
            if appel.depenses_retenues > appel.depenses_declarees:
                raise ValidationError("Les dépenses retenues ne peuvent dépasser les dépenses déclarées.")
        if appel.etat == AppelDeFonds.Etat.PAYE:
            appel.paye_le = timezone.localdate()
    appel.full_clean()
    appel.save()
    return appel


@transaction.atomic
def controle_feder_enregistrer(*, operation_id: int, par: User, type: str, le: date, resultat: str, observations: str):

    controle = ControleFeder(
        operation_id=operation_id, type=type, le=le, resultat=resultat, observations=observations.strip()
    )
    controle.full_clean()
    controle.save()
    return controle


@transaction.atomic
def preuve_publicite_enregistrer(
    *, preuve: PreuvePublicite, fichier: FichierVerifie | None, par: User
) -> PreuvePublicite:
    """A FEDER publicity proof (kept by the FEDER service in the admin); a new file replaces the
    previous one, which goes with its stored file."""
    remplacee = preuve.document_id if fichier is not None else None
    if fichier is not None:
        preuve.document = document_deposer(fichier, genre=GENRE_PREUVE_FEDER, par=par)
    preuve.full_clean()
    preuve.save()
    if remplacee:
        documents_supprimer(Document.objects.filter(pk=remplacee))
    return preuve


@transaction.atomic
def preuve_publicite_supprimer(*, preuve_id: int) -> None:
    """A proof deleted in the admin: its file goes too."""
    preuve = PreuvePublicite.objects.select_for_update().get(pk=preuve_id)
    document_id = preuve.document_id
    preuve.delete()
    if document_id:
        documents_supprimer(Document.objects.filter(pk=document_id))
