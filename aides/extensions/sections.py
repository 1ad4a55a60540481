"""Sections that aides adds to territoires' pages (territoires never imports aides, see
territoires/extensions.py). `enregistrer()` is called from AidesConfig.ready()."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from aides.catalogue.models.dispositif import Dispositif
from aides.demandes.models.demande import Demande, Statut
from territoires.extensions import PAGE_CONTACTS, PAGE_CONVENTION, PAGE_EPCI, PAGE_REVUE, Section, section_enregistrer
from territoires.models import ConventionTerritoriale

DERNIERES_ACCORDEES = 10
DEMANDES_REVUE_MAX = 50


@dataclass
class LigneStatut:
    statut: str
    libelle: str
    nombre: int


@dataclass
class LigneAnnee:
    annee: int
    nombre: int
    montant: Decimal


def demandes_du_territoire(epci):
    """Deposited applications of the establishments located in the EPCI's communes."""
    return Demande.objects.deposees().filter(etablissement__commune__epci=epci)


def section_epci_demandes(epci, request) -> Section:
    """Applications and amounts granted on the territory, in three queries whatever their number:
    counts by state, amounts granted by year of the commission permanente, the last files granted."""
    demandes = demandes_du_territoire(epci)
    comptes = dict(demandes.order_by().values_list("statut").annotate(n=Count("pk")))
    par_statut = [
        LigneStatut(statut=valeur, libelle=libelle, nombre=comptes.get(valeur, 0))
        for valeur, libelle in Statut.choices
        if valeur != Statut.BROUILLON
    ]
    par_annee = [
        LigneAnnee(annee=ligne["annee"], nombre=ligne["nombre"], montant=ligne["montant"])
        for ligne in demandes.filter(statut=Statut.ACCORDEE)
        .order_by()
        .values(annee=ExtractYear("date_commission"))
        .annotate(nombre=Count("pk"), montant=Sum("montant_accorde"))
        .order_by("-annee")
    ]
    dernieres = list(
        demandes.filter(statut=Statut.ACCORDEE)
        .select_related("etablissement__entreprise", "dispositif")
        .only(
            "numero_depot",
            "montant_accorde",
            "date_commission",
            "decidee_le",
            "etablissement__entreprise__denomination",
            "etablissement__siret",
            "dispositif__nom",
        )
        .order_by("-date_commission", "-decidee_le", "-pk")[:DERNIERES_ACCORDEES]
    )
    return Section(
        "Demandes et montants accordés",
        "aides/_section_epci_demandes.html",
        {
            "epci": epci,
            "par_statut": par_statut,
            "total_deposees": sum(comptes.values()),
            "par_annee": par_annee,
            "total_accorde": sum((ligne.montant for ligne in par_annee), Decimal(0)),
            "dernieres": dernieres,
        },
    )


def section_revue_demandes(revue, request) -> Section | None:
    """The applications of the companies on a project review's agenda (one query), so the review can
    discuss a file with its state and amounts; nothing when none of them applied."""
    demandes = list(
        Demande.objects.deposees()
        .filter(etablissement__entreprise__in=revue.points.values("entreprise_id"))
        .select_related("etablissement__entreprise", "dispositif")
        .order_by("etablissement__entreprise__denomination", "-depose_le")[:DEMANDES_REVUE_MAX]
    )
    if not demandes:
        return None
    return Section(
        "Demandes d'aide des entreprises à l'ordre du jour",
        "aides/_section_revue_demandes.html",
        {"demandes": demandes, "tronquee": len(demandes) == DEMANDES_REVUE_MAX},
    )


def section_contacts_dispositifs(epci, request) -> Section | None:
    """Public page of the EPCI: the published aids its conventions in force cover and that cover the
    EPCI by the catalogue's rule (one query); nothing when there is none."""
    dispositifs = list(
        Dispositif.objects.publies()
        .couvrant(epci)
        .filter(conventions_territoriales__in=ConventionTerritoriale.objects.en_vigueur().filter(epci=epci))
        .distinct()
        .only("nom", "slug", "resume", "date_ouverture", "date_cloture")
        .order_by("nom", "pk")
    )
    if not dispositifs:
        return None
    return Section(
        "Aides couvertes par les conventions de votre territoire",
        "aides/_section_contacts_dispositifs.html",
        {"epci": epci, "dispositifs": dispositifs},
    )


def section_convention_dispositifs(convention, request) -> Section:
    """Staff page of a convention: every dispositif linked to it, whatever its state (one query)."""
    dispositifs = list(
        convention.dispositifs.select_related("direction")
        .only("nom", "statut", "date_ouverture", "date_cloture", "direction__code")
        .order_by("nom", "pk")
    )
    return Section(
        "Dispositifs couverts par cette convention",
        "aides/_section_convention_dispositifs.html",
        {"convention": convention, "dispositifs": dispositifs},
    )


def enregistrer() -> None:
    """Register the sections (idempotent: territoires ignores a second registration)."""
    section_enregistrer(PAGE_EPCI, section_epci_demandes, ordre=25)
    # After the CRM's agenda and minutes (ordre=10).
    section_enregistrer(PAGE_REVUE, section_revue_demandes, ordre=20)
    section_enregistrer(PAGE_CONTACTS, section_contacts_dispositifs, ordre=10)
    section_enregistrer(PAGE_CONVENTION, section_convention_dispositifs, ordre=10)
