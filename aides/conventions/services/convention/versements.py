from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from aides.conventions.models.convention import ConventionAide, Etape
from aides.conventions.models.feder import OperationFeder
from aides.conventions.models.versement import PieceVersement, Versement
from aides.conventions.services.convention.circuit import ETAPES_VERSEMENT, _etape, _verrouiller
from crm.services import accompagnements_recalculer
from portal.documents import document_deposer
from portal.models import User
from portal.templatetags.portail import format_euros
from portal.verification import FichierVerifie

# The kind of portal.Document a payment's proof is (registered in AidesConfig.ready).
GENRE_PIECE_VERSEMENT = "aides.versement.piece"


@transaction.atomic
def versement_creer(
    *,
    convention_id: int,
    par: User,
    type: str,
    montant: Decimal,
    commentaire: str = "",
    pieces: list[FichierVerifie] | None = None,
) -> Versement:
    """Record a payment request. The row lock serialises two payments on one convention; the trigger
    that keeps `total_versements` and its CHECK guarantee the ceiling even if a caller bypassed this service."""
    convention = _verrouiller(convention_id)
    if convention.etape not in ETAPES_VERSEMENT:
        raise ValidationError(
            f"La convention est « {convention.get_etape_display().lower()} » : aucun versement n'est possible."
        )
    if type not in Versement.Type.values:
        raise ValidationError({"type": "Choisissez avance, acompte ou solde."})
    if montant is None or montant <= 0:
        raise ValidationError({"montant": "Indiquez un montant positif."})
    if convention.versements.filter(type=Versement.Type.SOLDE).exists():
        raise ValidationError("Le solde est déjà enregistré : aucun autre versement n'est possible.")
    reste = convention.montant - convention.total_versements
    if montant > reste:
        raise ValidationError(
            {
                "montant": (
                    f"Ce versement ({format_euros(montant)}) dépasserait le montant accordé : il reste "
                    f"{format_euros(reste)} à verser sur {format_euros(convention.montant)}."
                )
            }
        )
    versement = Versement(
        convention=convention,
        type=type,
        montant=montant,
        par=par,
        commentaire=commentaire,
        double_controle=montant > Decimal(str(settings.VERSEMENT_SEUIL_DOUBLE_CONTROLE)),
    )
    versement.full_clean()
    versement.save()  # a PostgreSQL trigger adds it to the convention's total_versements (CHECK ≤ montant)
    for piece in pieces or []:
        piece_versement_ajouter(versement=versement, verifie=piece, par=par)
    if convention.etape == Etape.NOTIFIEE:
        _etape(convention, vers=Etape.EN_EXECUTION, par=par, motif="Premier versement demandé.")
    return versement


def piece_versement_ajouter(*, versement: Versement, verifie: FichierVerifie, par: User) -> PieceVersement:
    piece = PieceVersement(
        versement=versement,
        document=document_deposer(verifie, genre=GENRE_PIECE_VERSEMENT, par=par),
        nom_original=verifie.nom_original,
        depose_par=par,
    )
    piece.full_clean()
    piece.save()
    return piece


@transaction.atomic
def versement_avancer(*, versement_id: int, par: User) -> Versement:
    """demandé → contrôlé → mandaté → payé; the paid solde closes the convention (soldée)."""
    versement = Versement.objects.select_for_update().get(pk=versement_id)
    convention = _verrouiller(versement.convention_id)
    suivant = Versement.SUIVANT.get(versement.etat)
    if suivant is None:
        raise ValidationError("Ce versement est déjà payé.")
    if (
        suivant == Versement.Etat.PAYE
        and versement.type == Versement.Type.SOLDE
        and convention.versements.exclude(pk=versement.pk).exclude(etat=Versement.Etat.PAYE).exists()
    ):
        raise ValidationError("Des versements antérieurs ne sont pas encore payés : payez-les avant le solde.")
    if suivant == Versement.Etat.MANDATE and versement.double_controle and versement.controle_par_id == par.pk:
        raise ValidationError(
            f"Ce versement de {format_euros(versement.montant)} dépasse "
            f"{format_euros(Decimal(str(settings.VERSEMENT_SEUIL_DOUBLE_CONTROLE)))} : il doit être mandaté par "
            "un autre agent que celui qui l'a contrôlé."
        )
    maintenant = timezone.now()
    champ = {
        Versement.Etat.CONTROLE: "controle_le",
        Versement.Etat.MANDATE: "mandate_le",
        Versement.Etat.PAYE: "paye_le",
    }[suivant]
    setattr(versement, champ, maintenant)
    versement.etat = suivant
    champs = ["etat", champ]
    if suivant == Versement.Etat.CONTROLE:
        versement.controle_par = par
        champs.append("controle_par")
    elif suivant == Versement.Etat.MANDATE:
        versement.mandate_par = par
        champs.append("mandate_par")
    versement.save(update_fields=champs)
    if suivant == Versement.Etat.PAYE:
        OperationFeder.objects.filter(convention=convention).update(dernier_paiement_le=timezone.localdate(maintenant))
        accompagnements_recalculer(entreprise_id=convention.etablissement.entreprise_id)
        from aides.conventions.services.paiement import versement_paye_notifier  # issue 17: the company is told

        versement_paye_notifier(versement)
        if versement.type == Versement.Type.SOLDE:
            _etape(convention, vers=Etape.SOLDEE, par=par, motif="Solde payé.")
    return versement


def reste_a_payer(convention: ConventionAide, paye: Decimal) -> Decimal:
    return convention.montant - paye
