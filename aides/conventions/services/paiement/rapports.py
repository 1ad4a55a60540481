from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from aides.conventions.actions import MACHINE_RAPPORT
from aides.conventions.models.convention import ConventionAide
from aides.conventions.models.paiement import (
    IndicateurRealiseI17,
    RapportFinal,
)
from aides.conventions.services.convention import (
    _verrouiller,
    destinataires_entreprise,
)
from aides.conventions.services.paiement.demandes import _peut_demander
from portal.documents import document_deposer, documents_supprimer
from portal.models import Document, User
from portal.services import notification_creer
from portal.verification import FichierVerifie

# The kind of portal.Document the final report's publicity proof is (registered in AidesConfig.ready).
GENRE_PREUVE_RAPPORT = "aides.rapport.preuve"


def _rapport(convention: ConventionAide) -> RapportFinal:
    rapport, _ = RapportFinal.objects.select_for_update().get_or_create(convention=convention)
    return rapport


@transaction.atomic
def rapport_enregistrer(
    *,
    convention_id: int,
    par: User,
    membre,
    bilan: str,
    indicateurs: list[tuple[str, Decimal, str]],
    preuve: FichierVerifie | None = None,
) -> RapportFinal:
    _peut_demander(membre)
    convention = _verrouiller(convention_id)
    rapport = _rapport(convention)
    if rapport.etat not in MACHINE_RAPPORT.actions["modifier"]:
        raise ValidationError(f"Le rapport est « {rapport.get_etat_display().lower()} » : il ne se modifie plus.")
    rapport.bilan = bilan
    rapport.save(update_fields=["bilan"])
    rapport.indicateurs.all().delete()
    vus = set()
    for i, (libelle, valeur, unite) in enumerate(indicateurs):
        libelle = (libelle or "").strip()
        if not libelle or valeur is None or libelle.lower() in vus:
            continue
        vus.add(libelle.lower())
        IndicateurRealiseI17.objects.create(rapport=rapport, libelle=libelle, valeur=valeur, unite=unite or "", ordre=i)
    if preuve:
        remplacee = rapport.preuve_id
        rapport.preuve = document_deposer(preuve, genre=GENRE_PREUVE_RAPPORT, par=par)
        rapport.preuve_nom = preuve.nom_original
        rapport.full_clean()
        rapport.save(update_fields=["preuve", "preuve_nom"])
        if remplacee:  # the previous proof is replaced: it goes, file and all
            documents_supprimer(Document.objects.filter(pk=remplacee))
    return rapport


@transaction.atomic
def rapport_deposer(*, convention_id: int, par: User, membre) -> RapportFinal:
    _peut_demander(membre)
    convention = _verrouiller(convention_id)
    rapport = _rapport(convention)
    if rapport.etat not in MACHINE_RAPPORT.actions["deposer"]:
        raise ValidationError(f"Le rapport est déjà « {rapport.get_etat_display().lower()} ».")
    erreurs = []
    if not rapport.bilan.strip():
        erreurs.append("Rédigez le bilan de l'opération.")
    if not rapport.indicateurs.exists():
        erreurs.append("Indiquez au moins un indicateur réalisé (emplois créés ou maintenus, investissement réalisé…).")
    if rapport.preuve_id is None:
        erreurs.append("Joignez la preuve de publicité (photo de la plaque ou capture d'écran).")
    if erreurs:
        raise ValidationError(erreurs)
    rapport.etat = RapportFinal.Etat.DEPOSE
    rapport.depose_le = timezone.now()
    rapport.depose_par = par
    rapport.full_clean()
    rapport.save()
    return rapport


@transaction.atomic
def rapport_decider(*, convention_id: int, par: User, valide: bool, motif: str = "") -> RapportFinal:
    convention = _verrouiller(convention_id)
    rapport = _rapport(convention)
    if rapport.etat not in MACHINE_RAPPORT.actions["decider"]:
        raise ValidationError(f"Le rapport est « {rapport.get_etat_display().lower()} » : rien à valider.")
    if not valide and not motif.strip():
        raise ValidationError({"motif": "Dites à l'entreprise ce qu'il faut corriger."})
    rapport.etat = RapportFinal.Etat.VALIDE if valide else RapportFinal.Etat.A_CORRIGER
    rapport.valide_le = timezone.now()
    rapport.valide_par = par
    rapport.motif = motif.strip()
    rapport.save(update_fields=["etat", "valide_le", "valide_par", "motif"])
    for destinataire in destinataires_entreprise(convention):
        notification_creer(
            gabarit="rapport_final_decision",
            destinataire=destinataire,
            contexte={
                "rapport": rapport,
                "convention": convention,
                "lien_espace": reverse("espace:rapport", args=[convention.pk]),
            },
        )
    return rapport
