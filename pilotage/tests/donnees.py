"""Small hand-computed data sets for the figures of pilotage: rows written directly, with the dates
the figures depend on (the services would date everything today)."""

from datetime import datetime
from decimal import Decimal
from itertools import count
from zoneinfo import ZoneInfo

from aides.catalogue.tests.factories import DispositifFactory
from aides.models import ConventionAide, Demande, Etape, EtapeConvention, Versement
from crm.models import Sollicitation
from crm.referentiels import Besoin
from crm.tests.factories import EntrepriseFactory, EtablissementFactory
from portal.models import Direction
from portal.roles import Role
from portal.tests.factories import AgentFactory, UserFactory
from territoires.models import Commune

PARIS = ZoneInfo("Europe/Paris")
_numeros = count(1)


def le(annee: int, mois: int, jour: int, heure: int = 10) -> datetime:
    return datetime(annee, mois, jour, heure, tzinfo=PARIS)


def direction(code: str = "DAEN") -> Direction:
    return Direction.objects.get(code=code)


def etablissement(commune: str = "80021", **champs_entreprise):
    entreprise = EntrepriseFactory(**champs_entreprise)
    return EtablissementFactory(entreprise=entreprise, commune=Commune.objects.get(code_insee=commune))


def demande(
    *,
    dispositif,
    etablissement,
    statut: str,
    depose: datetime,
    decide: datetime | None = None,
    montant_demande: Decimal = Decimal("10000"),
    montant_accorde: Decimal | None = None,
    instructeur=None,
    demandeur=None,
) -> Demande:
    n = next(_numeros)
    return Demande.objects.create(
        dispositif=dispositif,
        etablissement=etablissement,
        demandeur=demandeur or UserFactory(roles=[Role.ENTREPRISE]),
        intitule=f"Projet {n}",
        statut=statut,
        numero_depot=f"T{depose.year}-{n:06d}",
        depose_le=depose,
        decidee_le=decide,
        montant_demande=montant_demande,
        montant_accorde=montant_accorde,
        instructeur=instructeur,
    )


def convention(demande: Demande, *, signee: datetime | None = None, etape: str = Etape.EN_EXECUTION) -> ConventionAide:
    n = next(_numeros)
    c = ConventionAide.objects.create(
        numero=f"T-{n:06d}",
        annee=demande.decidee_le.year,
        direction=demande.dispositif.direction,
        demande=demande,
        dispositif=demande.dispositif,
        etablissement=demande.etablissement,
        objet="Objet",
        nature="subvention",
        montant=demande.montant_accorde,
        part_region=demande.montant_accorde,
        etape=etape,
        date_decision=demande.decidee_le.date(),
    )
    if signee:
        EtapeConvention.objects.create(
            convention=c,
            de=Etape.SIGNEE_BENEFICIAIRE,
            vers=Etape.SIGNEE_REGION,
            le=signee,
            direction=c.direction,
            dispositif=c.dispositif,
        )
    return c


def versement(convention: ConventionAide, *, montant: Decimal, paye: datetime | None = None, etat: str | None = None):
    v = Versement.objects.create(
        convention=convention,
        type=Versement.Type.ACOMPTE if paye else Versement.Type.AVANCE,
        montant=montant,
        etat=etat or (Versement.Etat.PAYE if paye else Versement.Etat.DEMANDE),
        paye_le=paye,
        par=AgentFactory(roles=[Role.GESTIONNAIRE_SAF]),
    )
    return v  # total_versements is kept by a trigger


def sollicitation(
    *, recue: datetime, statut: str = Sollicitation.Statut.NOUVELLE, repondue=None, assigne=None, **champs
):
    s = Sollicitation.objects.create(
        nom="Camille Test",
        email="camille@example.org",
        commune=Commune.objects.get(code_insee=champs.pop("commune", "80021")),
        besoin=Besoin.INVESTIR,
        direction=champs.pop("direction", None) or direction(),
        statut=statut,
        cree_le=recue,
        prise_en_charge_le=recue if statut != Sollicitation.Statut.NOUVELLE else None,
        repondue_le=repondue,
        **champs,
    )
    if assigne:
        s.assignes.add(assigne)
    return s


__all__ = ["DispositifFactory"]
