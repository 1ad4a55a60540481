"""Reads of the applications: the company's files, the instruction inbox, the de minimis ledger."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import BooleanField, DateTimeField, ExpressionWrapper, F, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Lower, Trim
from django.utils import timezone

from aides.catalogue.referentiels import RegimeAide
from aides.demandes.models.avis import AvisExpert
from aides.demandes.models.demande import (
    STATUTS_EN_COURS,
    DeclarationDeMinimis,
    Demande,
    Message,
    PieceJointe,
    Statut,
    Transition,
)
from aides.demandes.models.espace import Membre
from aides.demandes.services.demande import debut_periode_de_minimis
from territoires.selectors_conventions import contacts_publics

PLAFOND_DE_MINIMIS = Decimal("300000")


@dataclass
class SituationDeMinimis:
    siren: str
    debut: date
    fin: date
    accorde_ici: Decimal
    declare: Decimal

    @property
    def total(self) -> Decimal:
        return self.accorde_ici + self.declare

    @property
    def reste(self) -> Decimal:
        return max(PLAFOND_DE_MINIMIS - self.total, Decimal(0))

    @property
    def plafond(self) -> Decimal:
        return PLAFOND_DE_MINIMIS


def de_minimis_situation(
    *, siren: str, le: date | None = None, sauf_demande_id: int | None = None
) -> SituationDeMinimis:
    """De minimis aids of the single undertaking (SIREN) over the three years ending on `le`:
    granted here (date of the commission permanente) plus the company's own declarations."""

    fin = le or timezone.localdate()
    debut = debut_periode_de_minimis(fin)
    accordees = Demande.objects.filter(
        etablissement__entreprise__siren=siren,
        statut=Statut.ACCORDEE,
        dispositif__regime=RegimeAide.DE_MINIMIS,
        date_commission__gte=debut,
        date_commission__lte=fin,
    )
    if sauf_demande_id:
        accordees = accordees.exclude(pk=sauf_demande_id)
    accorde = accordees.aggregate(s=Sum("montant_accorde"))["s"] or Decimal(0)
    # The company declares its aids again with each application: an aid declared twice (same
    # organisation, date and amount) is one aid, counted once.
    declare = DeclarationDeMinimis.objects.filter(
        entreprise__siren=siren, date_octroi__gte=debut, date_octroi__lte=fin
    ).annotate(organisme_normalise=Lower(Trim("organisme"))).values(
        "organisme_normalise", "date_octroi", "montant"
    ).distinct().aggregate(s=Sum("montant"))["s"] or Decimal(0)
    return SituationDeMinimis(siren=siren, debut=debut, fin=fin, accorde_ici=accorde, declare=declare)


def demandes_de_l_entreprise(entreprise_id: int) -> QuerySet[Demande]:
    return Demande.objects.de_l_entreprise(entreprise_id).select_related("dispositif", "etablissement__entreprise")


def demande_pour_entreprise(demande: Demande) -> Demande:
    """Everything the company page shows, in a fixed number of queries."""
    return (
        Demande.objects.select_related("dispositif", "etablissement__entreprise", "demandeur")
        .prefetch_related(
            "lignes",
            Prefetch(
                "pieces",
                queryset=PieceJointe.objects.filter(message=None).select_related("remplacee_par"),
                to_attr="pieces_dossier",
            ),
            Prefetch("transitions", queryset=Transition.objects.filter(public=True), to_attr="historique_public"),
            Prefetch("messages", queryset=Message.objects.prefetch_related("pieces"), to_attr="fil"),
            "declarations_de_minimis",
        )
        .get(pk=demande.pk)
    )


def demande_pour_instruction(pk: int) -> QuerySet[Demande]:
    return (
        Demande.objects.deposees()
        .filter(pk=pk)
        .select_related(
            "dispositif__direction",
            "etablissement__entreprise",
            "etablissement__commune__epci",
            "demandeur",
            "instructeur",
        )
        .prefetch_related(
            "lignes",
            Prefetch(
                "pieces",
                queryset=PieceJointe.objects.filter(message=None).select_related("remplacee_par"),
                to_attr="pieces_dossier",
            ),
            Prefetch("transitions", queryset=Transition.objects.select_related("par"), to_attr="historique"),
            Prefetch(
                "messages", queryset=Message.objects.select_related("auteur").prefetch_related("pieces"), to_attr="fil"
            ),
            "annotations__auteur",
            "declarations_de_minimis",
            Prefetch(
                "avis_experts",
                queryset=AvisExpert.objects.select_related("expert__direction", "demande_par"),
                to_attr="avis_liste",
            ),
        )
    )


def condition_hors_delai(maintenant=None) -> Q:
    """In progress and deposited longer ago than the dispositif's target instruction delay."""
    maintenant = maintenant or timezone.now()
    limite = ExpressionWrapper(
        Value(maintenant) - F("dispositif__delai_instruction_cible_jours") * timedelta(days=1),
        output_field=DateTimeField(),
    )
    return Q(statut__in=STATUTS_EN_COURS, depose_le__lt=limite)


def demandes_boite() -> QuerySet[Demande]:
    """Deposited applications with what the inbox shows (`hors_delai`: in progress beyond the
    dispositif's target delay), the newest first; the inbox narrows them
    with aides.demandes.filters.DemandeBoiteFilterSet."""
    return (
        Demande.objects.deposees()
        .select_related("dispositif__direction", "etablissement__entreprise", "etablissement__commune", "instructeur")
        .annotate(hors_delai=ExpressionWrapper(condition_hors_delai(), output_field=BooleanField()))
        .order_by("-depose_le", "-pk")
    )


def comptes_de_l_entreprise(entreprise_id: int) -> QuerySet[Membre]:
    """The company's account members and pending requests, for the instruction page."""
    return (
        Membre.objects.filter(entreprise_id=entreprise_id)
        .exclude(statut=Membre.Statut.RETIRE)
        .select_related("utilisateur")
        .order_by("cree_le")
    )


@dataclass
class ContactsEntreprise:
    referent: object
    territoire: object
    contacts: list


def contacts_de_l_entreprise(membre: Membre) -> ContactsEntreprise:
    """The company's référent (chef de file) and the Région's contacts of its territory."""

    entreprise = membre.entreprise
    referent = entreprise.referent if entreprise.referent_id and entreprise.referent.is_active else None
    commune = membre.etablissement.commune  # joined by aides.demandes.acces.adhesions_de
    epci = commune.epci if commune else None
    return ContactsEntreprise(referent=referent, territoire=epci, contacts=contacts_publics(epci) if epci else [])
