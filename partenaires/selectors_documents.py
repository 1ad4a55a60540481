"""« Documents à signer ou à relire » of an EPCI: its territorial conventions waiting for a signature
(or soon to renew), the aid conventions it co-finances still in their circuit, and its project
reviews' agendas and minutes. Each line says its state, its deadline and what the EPCI may do."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from aides.models import ETAPES_FINALES, ConventionAide, Etape
from crm.models import PointRevue
from territoires.models import EPCI, ConventionTerritoriale, EcheanceConventionnement, RevueDeProjets

from .models import AccordDiffusion
from .services_epci import SIGNER, actions_epci

Statut = ConventionTerritoriale.Statut
RENOUVELER_JOURS = 90  # a convention in force ending within this many days is listed « à renouveler »
REVUES_RECENTES_JOURS = 60  # minutes of a review held within this many days are listed « à relire »

SIGNER_EPCI, RELIRE, INFORMATION, PREPARER = SIGNER, "relire", "information", "preparer"


@dataclass(frozen=True)
class DocumentEpci:
    genre: str
    titre: str
    etat: str
    echeance: date | None
    echeance_libelle: str
    action: str  # SIGNER_EPCI (a form on the page), RELIRE (a link on the page), INFORMATION, PREPARER
    action_libelle: str
    pk: int
    ancre: str = ""
    montant: Decimal | None = None  # the EPCI's part of a co-financed aid


def _echeances(epci_types: set[str], aujourd_hui: date) -> dict[str, date]:
    """The next active conventioning deadline of each type (one query)."""
    prochaines: dict[str, date] = {}
    for type_, jour in (
        EcheanceConventionnement.objects.actives()
        .filter(type__in=epci_types, date__gte=aujourd_hui)
        .order_by("date")
        .values_list("type", "date")
    ):
        prochaines.setdefault(type_, jour)
    return prochaines


def _conventions(epci: EPCI, aujourd_hui: date) -> list[DocumentEpci]:
    conventions = list(
        ConventionTerritoriale.objects.avec_etat(aujourd_hui)
        .filter(epci=epci)
        .filter(
            Q(statut__in=[Statut.PROJET, Statut.EN_NEGOCIATION])
            | Q(
                statut=Statut.SIGNEE, date_fin__gte=aujourd_hui, date_fin__lte=aujourd_hui + timedelta(RENOUVELER_JOURS)
            )
        )
    )
    echeances = _echeances({c.type for c in conventions}, aujourd_hui)
    lignes = []
    for c in conventions:
        if c.statut == Statut.SIGNEE:
            etat, action, libelle = (
                c.etat_libelle,
                PREPARER,
                "À renouveler : préparez la suite avec votre chargé de mission",
            )
            echeance, quand = c.date_fin, "fin de validité le"
        else:
            echeance = min(filter(None, [echeances.get(c.type), c.date_debut]))
            quand = "à signer avant le"
            if SIGNER in actions_epci(c):
                etat, action, libelle = c.etat_libelle, SIGNER_EPCI, "Signer pour l'EPCI"
            elif c.statut == Statut.EN_NEGOCIATION:
                etat = f"Signée pour l'EPCI par {c.signataire_epci}, en attente de la Région"
                action, libelle = INFORMATION, "Aucune : la Région signe à son tour"
            else:
                etat, action, libelle = (
                    c.etat_libelle,
                    INFORMATION,
                    "Aucune pour l'instant : la Région prépare le projet",
                )
        lignes.append(
            DocumentEpci(
                "Convention territoriale", str(c), etat, echeance, quand, action, libelle, c.pk, f"convention-{c.pk}"
            )
        )
    return lignes


def _cofinancements(epci: EPCI) -> list[DocumentEpci]:
    """Aid conventions the EPCI co-finances, not closed: the company is named only where it agreed."""
    accord = AccordDiffusion.objects.en_vigueur(AccordDiffusion.Portee.PARTENAIRES).filter(
        entreprise_id=OuterRef("etablissement__entreprise_id")
    )
    conventions = (
        ConventionAide.objects.filter(epci=epci, part_epci__gt=0)
        .exclude(etape__in=list(ETAPES_FINALES))
        .annotate(nommee=Exists(accord))
        .select_related("etablissement__entreprise", "etablissement__commune", "dispositif")
        .order_by("date_caducite", "pk")
    )
    lignes = []
    for c in conventions:
        beneficiaire = (
            c.etablissement.entreprise.denomination if c.nommee else f"une entreprise de {c.etablissement.commune.nom}"
        )
        en_signature = c.etape in {Etape.A_EDITER, Etape.EDITEE, Etape.ENVOYEE, Etape.SIGNEE_BENEFICIAIRE}
        lignes.append(
            DocumentEpci(
                "Cofinancement d'une aide",
                f"{c.numero} – {c.dispositif.nom} pour {beneficiaire}",
                c.get_etape_display(),
                c.date_caducite if en_signature else None,
                "caduque si non signée le" if en_signature else "",
                INFORMATION,
                "Aucune : signée par l'entreprise puis la Région, selon votre délibération de cofinancement",
                c.pk,
                montant=c.part_epci,
            )
        )
    return lignes


def _revues(epci: EPCI, aujourd_hui: date) -> list[DocumentEpci]:
    comptes_rendus = PointRevue.objects.filter(revue_id=OuterRef("pk")).exclude(compte_rendu="")
    revues = (
        RevueDeProjets.objects.filter(epcis=epci)
        .filter(
            Q(statut=RevueDeProjets.Statut.PLANIFIEE, date__gte=aujourd_hui)
            | Q(statut=RevueDeProjets.Statut.TENUE, date__gte=aujourd_hui - timedelta(REVUES_RECENTES_JOURS))
        )
        .annotate(avec_compte_rendu=Exists(comptes_rendus))
        .order_by("date")
    )
    lignes = []
    for r in revues:
        if r.statut == RevueDeProjets.Statut.PLANIFIEE:
            lignes.append(
                DocumentEpci(
                    "Revue de projets",
                    f"Ordre du jour de la revue du {r.date:%d/%m/%Y}",
                    "Planifiée",
                    r.date,
                    "séance le",
                    RELIRE,
                    "Relire l'ordre du jour",
                    r.pk,
                    f"revue-{r.pk}",
                )
            )
        elif r.avec_compte_rendu:
            lignes.append(
                DocumentEpci(
                    "Revue de projets",
                    f"Compte rendu de la revue du {r.date:%d/%m/%Y}",
                    "Tenue",
                    None,
                    "",
                    RELIRE,
                    "Relire le compte rendu",
                    r.pk,
                    f"revue-{r.pk}",
                )
            )
    return lignes


def documents_epci(epci: EPCI, aujourd_hui: date | None = None) -> list[DocumentEpci]:
    """Everything the EPCI must sign or review, soonest deadline first (four queries)."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    lignes = [*_conventions(epci, aujourd_hui), *_cofinancements(epci), *_revues(epci, aujourd_hui)]
    return sorted(lignes, key=lambda d: (d.action != SIGNER_EPCI, d.echeance is None, d.echeance or aujourd_hui))
