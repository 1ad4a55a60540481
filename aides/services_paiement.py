"""Writes of the beneficiary's side of the money (issue 17): payment requests, SAF decisions, the
final report, repayment schedules and their reminders.

Every state change of a DemandeVersement, RapportFinal or EcheanceRemboursement goes through this
module. Locks: the convention row first (`_verrouiller`), then the request; so two deposits on one
convention, or two agents deciding the same request, queue and the second sees the first's effect.
Amounts are Decimal, rounded to the cent (half up); the payable amount is computed, never typed.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max as models_max
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from portal.fichiers import enregistrer_avec_fichier
from portal.models import User
from portal.services import notification_creer
from portal.templatetags.portail import format_euros
from portal.verification import FichierVerifie

from .models import (
    ConventionAide,
    DemandeVersement,
    DepenseJustifiee,
    EchangeVersement,
    EcheanceRemboursement,
    Etape,
    IndicateurRealiseI17,
    PieceDemandeVersement,
    RapportFinal,
    Versement,
)
from .referentiels import Nature
from .services_convention import (
    ETAPES_VERSEMENT,
    _verrouiller,
    date_fr,
    destinataires_entreprise,
    versement_avancer,
    versement_creer,
)

ZERO = Decimal("0")
CENT = Decimal("0.01")
NATURES_REMBOURSABLES = {Nature.PRET, Nature.AVANCE_REMBOURSABLE}
Etat = DemandeVersement.Etat


def au_cent(valeur: Decimal) -> Decimal:
    return valeur.quantize(CENT, rounding=ROUND_HALF_UP)


# --- Reading the plan ---------------------------------------------------------------------------


@dataclass
class Tranche:
    index: int
    type: str
    pourcentage: Decimal
    condition: str
    plafond: Decimal  # this instalment's share of the aid
    plafond_cumule: Decimal  # the aid's share paid at most once this instalment is paid
    demande: DemandeVersement | None = None
    demandes: list = field(default_factory=list)

    @property
    def libelle(self) -> str:
        return {"avance": "Avance", "acompte": "Acompte", "solde": "Solde"}.get(self.type, self.type.capitalize())


def tranches(convention: ConventionAide, demandes: list[DemandeVersement] | None = None) -> list[Tranche]:
    """The convention's payment plan with, for each instalment, its requests (newest first)."""
    resultat = []
    cumul = ZERO
    plan = convention.echeancier or []
    for i, ligne in enumerate(plan):
        pourcentage = Decimal(str(ligne.get("pourcentage", 0)))
        cumul += pourcentage
        type_ = ligne.get("type", "acompte")
        plafond_cumule = convention.montant if type_ == "solde" else au_cent(convention.montant * min(cumul, 100) / 100)
        resultat.append(
            Tranche(
                index=i,
                type=type_,
                pourcentage=pourcentage,
                condition=ligne.get("condition", ""),
                plafond=au_cent(convention.montant * pourcentage / 100),
                plafond_cumule=plafond_cumule,
            )
        )
    for demande in demandes or []:
        if demande.tranche < len(resultat):
            resultat[demande.tranche].demandes.append(demande)
    for tranche in resultat:
        tranche.demande = tranche.demandes[0] if tranche.demandes else None
    return resultat


def periode_convention(convention: ConventionAide) -> tuple[date, date]:
    """Expenses are eligible from the project's start (or the application's deposit) to the end of the
    convention's validity (decision + duree_mois)."""
    demande = convention.demande
    debut = demande.date_debut_projet or (timezone.localdate(demande.depose_le) if demande.depose_le else None)
    origine = convention.date_decision or timezone.localdate(convention.cree_le)
    debut = debut or origine
    fin = origine + relativedelta(months=convention.duree_mois)
    return debut, fin


def depenses_eligibles(convention: ConventionAide) -> Decimal:
    return convention.demande.lignes.aggregate(s=Sum("montant_ht"))["s"] or ZERO


def taux_aide(convention: ConventionAide) -> Decimal:
    """The aid's share of the eligible expenses (at most 1), kept exact (not rounded)."""
    base = depenses_eligibles(convention)
    if base <= 0:
        return Decimal(1)
    return min(convention.montant / base, Decimal(1))


def montant_en_attente(convention: ConventionAide, sauf: int | None = None) -> Decimal:
    """Requested by deposited requests not decided yet (they reserve their amount)."""
    qs = convention.demandes_versement.filter(etat__in=DemandeVersement.EN_VERIFICATION)
    if sauf:
        qs = qs.exclude(pk=sauf)
    return qs.aggregate(s=Sum("montant_demande"))["s"] or ZERO


def total_paye(convention: ConventionAide) -> Decimal:
    return convention.versements.filter(etat=Versement.Etat.PAYE).aggregate(s=Sum("montant"))["s"] or ZERO


@dataclass
class Situation:
    """What the company's convention page shows: the plan, what was paid, what remains, what to do."""

    tranches: list[Tranche]
    versements: list
    paye: Decimal
    engage: Decimal
    reste: Decimal
    prochaine_action: str
    encours_remboursement: Decimal | None
    echeances: list
    rapport: RapportFinal | None = None


def situation(convention: ConventionAide, aujourd_hui: date | None = None) -> Situation:
    aujourd_hui = aujourd_hui or timezone.localdate()
    demandes = list(convention.demandes_versement.order_by("-cree_le", "-pk"))
    plan = tranches(convention, demandes)
    versements = list(convention.versements.order_by("demande_le", "pk"))
    paye = sum((v.montant for v in versements if v.etat == Versement.Etat.PAYE), ZERO)
    echeances = list(convention.remboursements.order_by("numero"))
    rapport = RapportFinal.objects.filter(convention=convention).first()
    encours = sum((e.reste_du for e in echeances), ZERO) if echeances else None
    return Situation(
        tranches=plan,
        versements=versements,
        paye=paye,
        engage=convention.total_versements,
        reste=convention.montant - paye,
        prochaine_action=prochaine_action(convention, plan, aujourd_hui, rapport=rapport, verse=bool(versements)),
        encours_remboursement=encours,
        echeances=[(e, e.statut_libelle(aujourd_hui)) for e in echeances],
        rapport=rapport,
    )


def prochaine_action(
    convention: ConventionAide, plan: list[Tranche], aujourd_hui: date, *, rapport=None, verse: bool = False
) -> str:
    if convention.etape in (Etape.ENVOYEE,):
        return f"Signer la convention avant le {date_fr(convention.date_caducite)}."
    if convention.etape not in ETAPES_VERSEMENT:
        if convention.etape == Etape.SOLDEE:
            return "Rien : la convention est soldée."
        return "Rien pour l'instant : la Région prépare ou signe la convention."
    for tranche in plan:
        demande = tranche.demande
        if demande is None or demande.etat == Etat.REFUSEE:
            if tranche.type == "solde":
                if rapport is None or not rapport.depose:
                    return (
                        "Déposer le rapport final (indicateurs réalisés et preuve de publicité) "
                        "avant de demander le solde."
                    )
            avant = ""
            if not verse and convention.date_caducite:
                avant = f" avant le {date_fr(convention.date_caducite)} (sinon la convention devient caduque)"
            return f"Demander le versement : {tranche.libelle.lower()} ({tranche.condition}){avant}."
        if demande.etat == Etat.BROUILLON:
            return f"Compléter et déposer votre {demande.libelle} (brouillon enregistré)."
        if demande.etat == Etat.COMPLEMENT:
            return f"Répondre à la demande de complément sur votre {demande.libelle}."
        if demande.etat == Etat.DEPOSEE:
            return f"Rien : la Région vérifie votre {demande.libelle}."
    return "Rien : tous les versements prévus sont demandés."


# --- The company's request ------------------------------------------------------------------------


def _peut_demander(membre) -> None:
    if membre is None or not membre.est_verifie or membre.role == membre.Role.LECTEUR:
        raise ValidationError(
            "Seul un membre vérifié du compte (administrateur ou membre, pas lecteur) demande un versement."
        )


def _notifier_entreprise(demande: DemandeVersement, gabarit: str, **extra) -> None:
    convention = demande.convention
    contexte = {
        "demande": demande,
        "convention": convention,
        "lien_espace": reverse("espace:versement", args=[convention.pk, demande.pk]),
        **extra,
    }
    for destinataire in destinataires_entreprise(convention):
        notification_creer(gabarit=gabarit, destinataire=destinataire, contexte=contexte)


def _demande_verrouillee(demande_versement_id: int) -> tuple[ConventionAide, DemandeVersement]:
    convention_id = DemandeVersement.objects.values_list("convention_id", flat=True).get(pk=demande_versement_id)
    convention = _verrouiller(convention_id)
    demande = DemandeVersement.objects.select_for_update().get(pk=demande_versement_id)
    return convention, demande


@transaction.atomic
def demande_versement_creer(*, convention_id: int, tranche: int, par: User, membre) -> DemandeVersement:
    """A draft on one instalment of the plan. Refused if that instalment already has one in progress."""
    _peut_demander(membre)
    convention = _verrouiller(convention_id)
    if convention.etape not in ETAPES_VERSEMENT:
        raise ValidationError(
            f"La convention est « {convention.get_etape_display().lower()} » : aucun versement ne peut être demandé."
        )
    plan = tranches(convention)
    if not 0 <= tranche < len(plan):
        raise ValidationError({"tranche": "Choisissez une tranche de l'échéancier de la convention."})
    existante = (
        convention.demandes_versement.filter(tranche=tranche).exclude(etat=Etat.REFUSEE).order_by("-cree_le").first()
    )
    if existante:
        if existante.modifiable:
            return existante  # the same draft again (double click, second tab): nothing is lost
        raise ValidationError(f"Une demande sur cette tranche est déjà « {existante.get_etat_display().lower()} ».")
    demande = DemandeVersement(convention=convention, tranche=tranche, type=plan[tranche].type, demandeur=par)
    demande.full_clean()
    demande.save()
    return demande


@transaction.atomic
def demande_versement_enregistrer(
    *,
    demande_versement_id: int,
    par: User,
    membre,
    lignes: list[dict],
    commentaire: str = "",
    pieces: list[FichierVerifie] | None = None,
) -> DemandeVersement:
    """Save a draft as typed (lines replaced, blank fields allowed); files are added."""
    _peut_demander(membre)
    _convention, demande = _demande_verrouillee(demande_versement_id)
    if not demande.modifiable:
        raise ValidationError(f"Cette demande est « {demande.get_etat_display().lower()} » : elle ne se modifie plus.")
    prevues = set(demande.convention.demande.lignes.values_list("pk", flat=True))
    demande.lignes.all().delete()
    for i, ligne in enumerate(lignes):
        if not any(
            ligne.get(c) not in (None, "")
            for c in ("fournisseur", "numero_facture", "date_facture", "montant_ht", "montant_ttc")
        ):
            continue
        ligne_depense = ligne.get("ligne_depense")
        ligne_depense_id = getattr(ligne_depense, "pk", ligne_depense)
        if ligne_depense_id and ligne_depense_id not in prevues:
            raise ValidationError("Cette dépense prévue n'appartient pas à la demande d'aide.")
        DepenseJustifiee.objects.create(
            demande_versement=demande,
            fournisseur=ligne.get("fournisseur") or "",
            numero_facture=ligne.get("numero_facture") or "",
            date_facture=ligne.get("date_facture"),
            montant_ht=ligne.get("montant_ht"),
            montant_ttc=ligne.get("montant_ttc"),
            ligne_depense_id=ligne_depense_id or None,
            ordre=i,
        )
    demande.commentaire = commentaire
    demande.modifie_le = timezone.now()
    demande.save(update_fields=["commentaire", "modifie_le"])
    for verifie in pieces or []:
        piece_ajouter(demande=demande, verifie=verifie, par=par)
    return demande


def piece_ajouter(*, demande: DemandeVersement, verifie: FichierVerifie, par: User, echange=None):
    piece = PieceDemandeVersement(
        demande_versement=demande,
        echange=echange,
        nom_original=verifie.nom_original,
        taille=verifie.taille,
        type_mime=verifie.type_mime,
        sha256=verifie.sha256,
        depose_par=par,
    )
    enregistrer_avec_fichier(piece, nom=verifie.nom_original, contenu=verifie.fichier)
    return piece


@transaction.atomic
def piece_retirer(*, piece_id: int, par: User, membre) -> None:
    _peut_demander(membre)
    piece = PieceDemandeVersement.objects.select_related("demande_versement").get(pk=piece_id)
    if not piece.demande_versement.modifiable or piece.echange_id:
        raise ValidationError("Cette pièce est déposée : elle ne se retire plus.")
    fichier = piece.fichier
    piece.delete()
    transaction.on_commit(lambda: fichier.storage.delete(fichier.name))


@dataclass
class Calcul:
    depenses: Decimal
    retenues: Decimal
    montant: Decimal
    erreurs: list


def calculer(convention: ConventionAide, demande: DemandeVersement, lignes: list[DepenseJustifiee]) -> Calcul:
    """The payable amount of a request from its lines (those `retenue`), the plan and the rate.

    Per expense line of the application, the retained invoices are capped at that line's planned
    amount minus what earlier accepted requests retained on it; the sum times the aid rate, capped
    by the plan (cumulated share of this instalment minus what is already recorded)."""
    plan = tranches(convention)
    tranche = plan[demande.tranche]
    cap_plan = max(tranche.plafond_cumule - convention.total_versements, ZERO)
    if demande.type == "avance":
        montant = min(tranche.plafond, cap_plan)
        return Calcul(ZERO, ZERO, montant, [])
    erreurs = []
    debut, fin = periode_convention(convention)
    prevues = {ligne.pk: ligne for ligne in convention.demande.lignes.all()}
    deja = dict(
        DepenseJustifiee.objects.filter(
            demande_versement__convention=convention, demande_versement__etat=Etat.ACCEPTEE, retenue=True
        )
        .exclude(demande_versement=demande)
        .values_list("ligne_depense")
        .annotate(s=Sum("montant_ht"))
    )
    deja_presentees = set(
        DepenseJustifiee.objects.filter(
            demande_versement__convention=convention,
            demande_versement__etat__in=[Etat.DEPOSEE, Etat.COMPLEMENT, Etat.ACCEPTEE],
        )
        .exclude(demande_versement=demande)
        .values_list("fournisseur", "numero_facture")
    )
    par_ligne: dict[int, Decimal] = {}
    declarees = ZERO
    vues = set()
    for n, ligne in enumerate(lignes, start=1):
        nom = f"Ligne {n}"
        manque = [
            libelle
            for libelle, valeur in (
                ("fournisseur", ligne.fournisseur),
                ("n° de facture", ligne.numero_facture),
                ("date", ligne.date_facture),
                ("montant HT", ligne.montant_ht),
                ("montant TTC", ligne.montant_ttc),
                ("dépense prévue", ligne.ligne_depense_id),
            )
            if valeur in (None, "")
        ]
        if manque:
            erreurs.append(f"{nom} : indiquez {', '.join(manque)}.")
            continue
        if ligne.montant_ht <= 0 or ligne.montant_ttc < ligne.montant_ht:
            erreurs.append(f"{nom} : le montant HT doit être positif et le TTC au moins égal au HT.")
        if not debut <= ligne.date_facture <= fin:
            erreurs.append(
                f"{nom} : la facture du {date_fr(ligne.date_facture)} est hors de la période de la convention "
                f"(du {date_fr(debut)} au {date_fr(fin)})."
            )
        cle = (ligne.fournisseur.strip().lower(), ligne.numero_facture.strip().lower())
        if cle in vues or (ligne.fournisseur, ligne.numero_facture) in deja_presentees:
            erreurs.append(f"{nom} : la facture {ligne.numero_facture} de {ligne.fournisseur} est déjà présentée.")
        vues.add(cle)
        if ligne.ligne_depense_id not in prevues:
            erreurs.append(f"{nom} : la dépense prévue n'appartient pas à la demande d'aide.")
            continue
        declarees += ligne.montant_ht
        if ligne.retenue:
            par_ligne[ligne.ligne_depense_id] = par_ligne.get(ligne.ligne_depense_id, ZERO) + ligne.montant_ht
    retenues = ZERO
    for ligne_id, somme in par_ligne.items():
        disponible = max(prevues[ligne_id].montant_ht - (deja.get(ligne_id) or ZERO), ZERO)
        retenues += min(somme, disponible)
    montant = min(au_cent(retenues * taux_aide(convention)), cap_plan)
    return Calcul(declarees, retenues, montant, erreurs)


@transaction.atomic
def demande_versement_deposer(*, demande_versement_id: int, par: User, membre, certifie: bool) -> DemandeVersement:
    """Deposit (or answer a complement): checks, computes the amount, reserves it on the convention."""
    _peut_demander(membre)
    convention, demande = _demande_verrouillee(demande_versement_id)
    if not demande.modifiable:
        raise ValidationError(f"Cette demande est déjà « {demande.get_etat_display().lower()} ».")
    if convention.etape not in ETAPES_VERSEMENT:
        raise ValidationError("La convention n'est plus en exécution : aucun versement ne peut être demandé.")
    if not certifie:
        raise ValidationError({"certifie": "Certifiez sur l'honneur l'exactitude de l'état des dépenses."})
    lignes = list(demande.lignes.all())
    erreurs = []
    if demande.type != "avance":
        if not lignes:
            erreurs.append("Ajoutez au moins une facture à l'état des dépenses.")
        if not demande.pieces.exists():
            erreurs.append("Joignez les factures et justificatifs.")
    if demande.type == "solde":
        rapport = RapportFinal.objects.filter(convention=convention).first()
        if rapport is None or not rapport.depose:
            erreurs.append(
                "Le solde se demande avec le rapport final : déposez-le d'abord (indicateurs et preuve de publicité)."
            )
    calcul = calculer(convention, demande, lignes)
    erreurs += calcul.erreurs
    if erreurs:
        raise ValidationError(erreurs)
    if calcul.montant <= 0:
        raise ValidationError(
            "Aucun montant n'est à verser sur cette tranche : le plafond de l'échéancier est atteint."
        )
    en_attente = montant_en_attente(convention, sauf=demande.pk)
    disponible = convention.montant - convention.total_versements - en_attente
    if calcul.montant > disponible:
        raise ValidationError(
            f"Cette demande ({format_euros(calcul.montant)}) dépasse ce qui reste à verser : "
            f"{format_euros(max(disponible, ZERO))} sur {format_euros(convention.montant)}, une autre demande "
            f"de {format_euros(en_attente)} étant déjà en vérification. Attendez sa décision."
        )
    complement = demande.etat == Etat.COMPLEMENT
    demande.etat = Etat.DEPOSEE
    demande.certifie = True
    demande.certifie_par = par
    demande.montant_demande = calcul.montant
    demande.depenses_declarees = calcul.depenses
    maintenant = timezone.now()
    demande.depose_le = demande.depose_le or maintenant
    demande.modifie_le = maintenant
    demande.full_clean()
    demande.save()
    _notifier_entreprise(demande, "paiement_demande_etape", evenement="reponse" if complement else "depot")
    return demande


@transaction.atomic
def demande_versement_repondre(
    *, demande_versement_id: int, par: User, membre, texte: str, pieces: list[FichierVerifie] | None = None
) -> DemandeVersement:
    """The company's answer to a complement: a message and files; then it re-deposits."""
    _peut_demander(membre)
    _convention, demande = _demande_verrouillee(demande_versement_id)
    if demande.etat != Etat.COMPLEMENT:
        raise ValidationError("Aucun complément n'est demandé sur cette demande.")
    if not texte.strip() and not pieces:
        raise ValidationError({"texte": "Écrivez une réponse ou joignez un fichier."})
    echange = EchangeVersement.objects.create(
        demande_versement=demande, sens=EchangeVersement.Sens.ENTREPRISE, auteur=par, texte=texte.strip()
    )
    for verifie in pieces or []:
        piece_ajouter(demande=demande, verifie=verifie, par=par, echange=echange)
    return demande


# --- SAF ----------------------------------------------------------------------------------------


def _deja_decidee(demande: DemandeVersement) -> ValidationError:
    qui = demande.decide_par.get_full_name() or demande.decide_par.email if demande.decide_par else "un agent"
    quand = timezone.localtime(demande.decide_le).strftime("%d/%m/%Y à %H:%M") if demande.decide_le else ""
    return ValidationError(
        f"Cette demande est déjà « {demande.get_etat_display().lower()} » (par {qui} le {quand}) : "
        "votre décision n'a pas été enregistrée."
    )


@transaction.atomic
def demande_versement_accepter(
    *, demande_versement_id: int, par: User, rejets: dict[int, str] | None = None, commentaire: str = ""
) -> DemandeVersement:
    """Accept fully or partly: rejected lines with their motive; the retained amount becomes a
    Versement (ceiling kept by the trigger), marked « contrôlé » (service fait)."""
    rejets = {int(k): (v or "").strip() for k, v in (rejets or {}).items()}
    convention, demande = _demande_verrouillee(demande_versement_id)
    if demande.etat != Etat.DEPOSEE:
        if demande.etat == Etat.COMPLEMENT:
            raise ValidationError("Un complément est demandé : attendez la réponse de l'entreprise.")
        raise _deja_decidee(demande)
    lignes = list(demande.lignes.all())
    for ligne in lignes:
        if ligne.pk in rejets:
            if not rejets[ligne.pk]:
                raise ValidationError(f"Indiquez le motif du rejet de la facture {ligne.numero_facture}.")
            ligne.retenue = False
            ligne.motif_rejet = rejets[ligne.pk][:500]
        else:
            ligne.retenue = True
            ligne.motif_rejet = ""
    if demande.type == "solde":
        rapport = RapportFinal.objects.filter(convention=convention).first()
        if rapport is None or rapport.etat != RapportFinal.Etat.VALIDE:
            raise ValidationError("Validez d'abord le rapport final de l'entreprise : le solde en dépend.")
    calcul = calculer(convention, demande, lignes)
    if calcul.montant <= 0:
        raise ValidationError("Aucun montant n'est retenu : refusez la demande avec un motif.")
    DepenseJustifiee.objects.bulk_update(lignes, ["retenue", "motif_rejet"])
    versement = versement_creer(
        convention_id=convention.pk,
        par=par,
        type=demande.type,
        montant=calcul.montant,
        commentaire=f"Demande de versement de l'entreprise n° {demande.pk}. {commentaire}".strip(),
    )
    versement = versement_avancer(versement_id=versement.pk, par=par)  # service fait: contrôlé
    demande.etat = Etat.ACCEPTEE
    demande.versement = versement
    demande.montant_retenu = calcul.montant
    demande.depenses_retenues = calcul.retenues
    demande.motif = commentaire
    demande.decide_le = timezone.now()
    demande.decide_par = par
    demande.full_clean()
    demande.save()
    rejetees = [ligne for ligne in lignes if not ligne.retenue]
    _notifier_entreprise(demande, "paiement_demande_etape", evenement="acceptee", rejetees=rejetees)
    return demande


@transaction.atomic
def demande_versement_complement(
    *, demande_versement_id: int, par: User, texte: str, pieces: list[FichierVerifie] | None = None
) -> DemandeVersement:
    _convention, demande = _demande_verrouillee(demande_versement_id)
    if demande.etat != Etat.DEPOSEE:
        raise _deja_decidee(demande)
    if not texte.strip():
        raise ValidationError({"texte": "Écrivez ce qui manque à l'entreprise."})
    echange = EchangeVersement.objects.create(
        demande_versement=demande, sens=EchangeVersement.Sens.SAF, auteur=par, texte=texte.strip()
    )
    for verifie in pieces or []:
        piece_ajouter(demande=demande, verifie=verifie, par=par, echange=echange)
    demande.etat = Etat.COMPLEMENT
    demande.motif = texte.strip()
    demande.save(update_fields=["etat", "motif"])
    _notifier_entreprise(demande, "paiement_demande_etape", evenement="complement", texte=texte.strip())
    return demande


@transaction.atomic
def demande_versement_refuser(*, demande_versement_id: int, par: User, motif: str) -> DemandeVersement:
    _convention, demande = _demande_verrouillee(demande_versement_id)
    if demande.etat not in DemandeVersement.EN_VERIFICATION:
        raise _deja_decidee(demande)
    if not motif.strip():
        raise ValidationError({"motif": "Motivez le refus : l'entreprise le reçoit par courriel."})
    demande.etat = Etat.REFUSEE
    demande.motif = motif.strip()
    demande.decide_le = timezone.now()
    demande.decide_par = par
    demande.save(update_fields=["etat", "motif", "decide_le", "decide_par"])
    _notifier_entreprise(demande, "paiement_demande_etape", evenement="refusee")
    return demande


def versement_paye_notifier(versement: Versement) -> None:
    """Called by versement_avancer when a payment made from a company's request is paid."""
    demande = DemandeVersement.objects.filter(versement=versement).select_related("convention").first()
    if demande:
        _notifier_entreprise(demande, "paiement_demande_etape", evenement="payee", versement=versement)


# --- Final report ---------------------------------------------------------------------------------


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
    if rapport.etat not in (RapportFinal.Etat.BROUILLON, RapportFinal.Etat.A_CORRIGER):
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
        rapport.preuve_nom = preuve.nom_original
        rapport.preuve_type_mime = preuve.type_mime
        rapport.preuve_sha256 = preuve.sha256
        enregistrer_avec_fichier(rapport, nom=preuve.nom_original, contenu=preuve.fichier, champ="preuve_publicite")
    return rapport


@transaction.atomic
def rapport_deposer(*, convention_id: int, par: User, membre) -> RapportFinal:
    _peut_demander(membre)
    convention = _verrouiller(convention_id)
    rapport = _rapport(convention)
    if rapport.etat not in (RapportFinal.Etat.BROUILLON, RapportFinal.Etat.A_CORRIGER):
        raise ValidationError(f"Le rapport est déjà « {rapport.get_etat_display().lower()} ».")
    erreurs = []
    if not rapport.bilan.strip():
        erreurs.append("Rédigez le bilan de l'opération.")
    if not rapport.indicateurs.exists():
        erreurs.append("Indiquez au moins un indicateur réalisé (emplois créés ou maintenus, investissement réalisé…).")
    if not rapport.preuve_publicite:
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
    if rapport.etat != RapportFinal.Etat.DEPOSE:
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


# --- Repayment schedules --------------------------------------------------------------------------


def echeances_calculer(
    *, montant: Decimal, debut: date, differe_mois: int, nombre: int, periodicite_mois: int
) -> list[tuple[date, Decimal]]:
    """Equal instalments rounded down to the cent, the last one takes the remainder. The first is
    due one period after the end of the deferral."""
    if nombre < 1 or periodicite_mois < 1 or differe_mois < 0:
        raise ValidationError("Nombre d'échéances, périodicité et différé doivent être positifs.")
    if montant <= 0:
        raise ValidationError("Le montant à rembourser doit être positif.")
    base = (montant / nombre).quantize(CENT, rounding=ROUND_DOWN)
    dernier = montant - base * (nombre - 1)
    return [
        (debut + relativedelta(months=differe_mois + periodicite_mois * k), base if k < nombre else dernier)
        for k in range(1, nombre + 1)
    ]


@transaction.atomic
def echeancier_remboursement_generer(
    *,
    convention_id: int,
    par: User,
    montant: Decimal | None = None,
    debut: date | None = None,
    differe_mois: int = 12,
    nombre: int = 8,
    periodicite_mois: int = 3,
) -> list[EcheanceRemboursement]:
    """Generate (or regenerate while nothing is paid) the schedule of a repayable advance or loan."""
    convention = _verrouiller(convention_id)
    if convention.nature not in NATURES_REMBOURSABLES:
        raise ValidationError("Seuls les prêts et avances remboursables ont un échéancier de remboursement.")
    if convention.remboursements.filter(Q(paye_le__isnull=False) | Q(montant_paye__gt=0)).exists():
        raise ValidationError("Des échéances sont déjà payées : l'échéancier ne se régénère plus.")
    convention.remboursements.all().delete()
    montant = montant if montant is not None else convention.montant
    debut = debut or convention.date_decision or timezone.localdate()
    lignes = echeances_calculer(
        montant=montant, debut=debut, differe_mois=differe_mois, nombre=nombre, periodicite_mois=periodicite_mois
    )
    return EcheanceRemboursement.objects.bulk_create(
        [
            EcheanceRemboursement(convention=convention, numero=i, date_echeance=jour, montant=m, demo=convention.demo)
            for i, (jour, m) in enumerate(lignes, start=1)
        ]
    )


@transaction.atomic
def echeance_payer(
    *, echeance_id: int, par: User, paye_le: date, montant_paye: Decimal, source: str = "saisie"
) -> EcheanceRemboursement:
    echeance = EcheanceRemboursement.objects.select_for_update().get(pk=echeance_id)
    if montant_paye is None or montant_paye <= 0:
        raise ValidationError({"montant_paye": "Indiquez le montant reçu."})
    if paye_le > timezone.localdate():
        raise ValidationError({"paye_le": "La date de paiement ne peut pas être dans le futur."})
    echeance.paye_le = paye_le
    echeance.montant_paye = montant_paye
    echeance.source = source
    echeance.full_clean()
    echeance.save(update_fields=["paye_le", "montant_paye", "source"])
    return echeance


def _decimal(texte: str) -> Decimal:
    try:
        return Decimal(texte.replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except InvalidOperation as erreur:
        raise ValueError(f"montant illisible « {texte} »") from erreur


def remboursements_importer(*, contenu: str, par: User) -> tuple[int, list[str]]:
    """CSV of the accounting system: `convention;echeance;date_paiement;montant` (date JJ/MM/AAAA).
    Each line is its own transaction; returns (lines recorded, errors by line number)."""
    lecteur = csv.DictReader(
        io.StringIO(contenu.lstrip("\ufeff")), delimiter=";" if ";" in contenu.split("\n")[0] else ","
    )
    enregistrees, erreurs = 0, []
    for n, ligne in enumerate(lecteur, start=2):
        try:
            numero = (ligne.get("convention") or "").strip()
            rang = int((ligne.get("echeance") or "").strip())
            jour = timezone.datetime.strptime((ligne.get("date_paiement") or "").strip(), "%d/%m/%Y").date()
            montant = _decimal(ligne.get("montant") or "")
            echeance = EcheanceRemboursement.objects.get(convention__numero=numero, numero=rang)
            echeance_payer(echeance_id=echeance.pk, par=par, paye_le=jour, montant_paye=montant, source="import")
            enregistrees += 1
        except EcheanceRemboursement.DoesNotExist:
            erreurs.append(
                f"Ligne {n} : aucune échéance {ligne.get('echeance')} pour la convention {ligne.get('convention')}."
            )
        except (ValueError, TypeError) as erreur:
            erreurs.append(f"Ligne {n} : {erreur}.")
        except ValidationError as erreur:
            erreurs.append(f"Ligne {n} : {' '.join(erreur.messages)}")
    return enregistrees, erreurs


def rappels_remboursement_envoyer(*, aujourd_hui: date | None = None) -> int:
    """Reminder before a due date, and after it once late; each at most once per instalment
    (stamped in the same transaction as the email; rows locked with SKIP LOCKED)."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    avant = aujourd_hui + timedelta(days=settings.REMBOURSEMENT_JOURS_RAPPEL)
    retard = aujourd_hui - timedelta(days=settings.REMBOURSEMENT_JOURS_GRACE)
    a_traiter = EcheanceRemboursement.objects.filter(paye_le__isnull=True).filter(
        Q(relance_avant_le__isnull=True, date_echeance__gte=aujourd_hui, date_echeance__lte=avant)
        | Q(relance_apres_le__isnull=True, date_echeance__lt=retard)
    )
    envoyes = 0
    for pk in list(a_traiter.values_list("pk", flat=True)):
        with transaction.atomic():
            echeance = (
                EcheanceRemboursement.objects.select_for_update(skip_locked=True)
                .select_related("convention__etablissement__entreprise", "convention__demande__demandeur")
                .filter(pk=pk, paye_le__isnull=True)
                .first()
            )
            if echeance is None:
                continue
            if echeance.date_echeance >= aujourd_hui and echeance.relance_avant_le is None:
                champ, evenement = "relance_avant_le", "avant"
            elif echeance.date_echeance < retard and echeance.relance_apres_le is None:
                champ, evenement = "relance_apres_le", "retard"
            else:
                continue
            setattr(echeance, champ, timezone.now())
            echeance.save(update_fields=[champ])
            for destinataire in destinataires_entreprise(echeance.convention):
                notification_creer(
                    gabarit="remboursement_rappel",
                    destinataire=destinataire,
                    contexte={
                        "echeance": echeance,
                        "convention": echeance.convention,
                        "evenement": evenement,
                        "lien_espace": reverse("espace:convention", args=[echeance.convention_id]),
                    },
                )
            envoyes += 1
    return envoyes


def encours_par_convention(conventions) -> dict[int, Decimal]:
    """Outstanding repayment per convention id (one query)."""
    lignes = (
        EcheanceRemboursement.objects.filter(convention__in=conventions)
        .values("convention_id")
        .annotate(du=Sum("montant"), paye=Sum("montant_paye"))
    )
    return {ligne["convention_id"]: ligne["du"] - ligne["paye"] for ligne in lignes}


# --- FEDER: claims and controls from the same payment requests ------------------------------------


@transaction.atomic
def appel_de_fonds_creer(*, operation_id: int, demande_versement_id: int, par: User):
    """A FEDER claim from an accepted payment request of the operation's convention: its retained
    lines become the expense statement; the EU amount is the retained expenses × the EU rate."""
    from .models import AppelDeFonds, LigneEtatDepenses, OperationFeder

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
    from .models import AppelDeFonds

    appel = AppelDeFonds.objects.select_for_update().get(pk=appel_id)
    if appel.etat in (AppelDeFonds.Etat.PAYE, AppelDeFonds.Etat.REJETE):
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
    from .models import ControleFeder

    controle = ControleFeder(
        operation_id=operation_id, type=type, le=le, resultat=resultat, observations=observations.strip()
    )
    controle.full_clean()
    controle.save()
    return controle
