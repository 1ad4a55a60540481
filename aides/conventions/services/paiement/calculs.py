from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from dateutil.relativedelta import relativedelta
from django.db.models import Sum
from django.utils import timezone

from aides.catalogue.referentiels import Nature
from aides.conventions.models.convention import ConventionAide, Etape
from aides.conventions.models.paiement import (
    DemandeVersement,
    DepenseJustifiee,
    RapportFinal,
)
from aides.conventions.models.versement import Versement
from aides.conventions.services.convention import (
    ETAPES_VERSEMENT,
    date_fr,
)

ZERO = Decimal("0")


CENT = Decimal("0.01")


NATURES_REMBOURSABLES = {Nature.PRET, Nature.AVANCE_REMBOURSABLE}


Etat = DemandeVersement.Etat


def au_cent(valeur: Decimal) -> Decimal:
    return valeur.quantize(CENT, rounding=ROUND_HALF_UP)


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


def _decimal(texte: str) -> Decimal:
    try:
        return Decimal(texte.replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except InvalidOperation as erreur:
        raise ValueError(f"montant illisible « {texte} »") from erreur
