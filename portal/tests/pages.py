"""Every page worth checking for phone and desktop layout, with the data that fills it.

`staff` lists every `/agents/...` page without an id (from the URL confs: downloads excluded) and
one representative page of each kind that takes an id; `publiques` the main public pages;
`entreprise` the company space. Built by `pages_remplies()`, inside a test that has the database.
"""

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from django.utils import timezone

from portal.roles import ROLES_AGENTS, Role

PAGES_AGENTS_SANS_ID = [
    "/agents/",
    "/agents/territoires/",
    "/agents/territoires/epci/",
    "/agents/territoires/conventions/nouvelle/",
    "/agents/territoires/affectations/",
    "/agents/territoires/echeances/",
    "/agents/crm/revues/",
    "/agents/crm/revues/nouvelle/",
    "/agents/crm/",
    "/agents/crm/?q=conserverie",
    "/agents/crm/entreprises/nouvelle/",
    "/agents/crm/interactions/",
    "/agents/crm/donnees-personnelles/",
    "/agents/crm/sollicitations/",
    "/agents/crm/sollicitations/nouvelle/",
    "/agents/crm/structures/",
    "/agents/crm/structures/plusieurs-directions/",
    "/agents/crm/structures/indicateurs-non-atteints/",
    "/agents/saf/",
    "/agents/saf/feder/",
    "/agents/aides/",
    "/agents/aides/nouveau/",
    "/agents/parcours/",
    "/agents/parcours/nouveau/",
    "/agents/instruction/",
]

PAGES_PUBLIQUES = [
    "/",
    "/aides/",
    "/parcours/",
    "/contact/",
    "/connexion/",
    "/accessibilite/",
    "/espace/inscription/",
]


@dataclass
class Pages:
    agent: object
    entreprise: object
    staff: list[str] = field(default_factory=list)
    publiques: list[str] = field(default_factory=lambda: list(PAGES_PUBLIQUES))
    espace: list[str] = field(default_factory=list)


def pages_remplies() -> Pages:
    """An agent holding every staff role, a company user, and pages filled with one of each thing."""
    from aides.catalogue.tests.factories import DispositifFactory
    from aides.conventions.services import convention as sc
    from aides.conventions.tests.factories import demande_accordee
    from aides.demandes.tests.factories import demande_deposee
    from crm import services as crm
    from crm.services_revues import revue_creer
    from crm.tests.factories import ContactFactory, EntrepriseFactory, EtablissementFactory, StructureFactory
    from parcours.tests.factories import EtapeParcoursFactory
    from portal.tests.factories import AgentFactory
    from territoires.models import EPCI, Commune, EngagementAnnuel
    from territoires.tests.factories import AffectationFactory, ConventionFactory

    agent = AgentFactory(roles=ROLES_AGENTS, first_name="Dominique-Alexandra", last_name="Vanderplancke-Delacroix")
    epci = EPCI.objects.filter(communes__isnull=False).order_by("siren").first()
    AffectationFactory(agent=agent, epci=epci)
    commune = epci.communes.order_by("code_insee").first()

    etablissement = EtablissementFactory(
        entreprise=EntrepriseFactory(denomination="Conserverie du Calaisis – Établissements Vandamme et Fils"),
        commune=commune,
    )
    entreprise = etablissement.entreprise
    contact = ContactFactory(entreprise=entreprise, nom="Vasseur", prenom="Paul", email="paul@exemple.fr")
    interaction = crm.interaction_enregistrer(
        auteur=agent,
        entreprise=entreprise,
        agents=[agent],
        contacts=[contact],
        type="visite",
        date=timezone.localdate() - timedelta(days=3),
        objet="Visite de l'atelier de production et de la nouvelle ligne de conditionnement",
        notes="Projet d'extension.",
        etablissement=etablissement,
        taches=[{"titre": "Envoyer le dossier d'aide", "assignee": agent, "echeance": timezone.localdate()}],
    )
    sollicitation = crm.sollicitation_creer(
        commune=commune,
        besoin="investir",
        nom="Paul Vasseur",
        email="paul@exemple.fr",
        entreprise_saisie=entreprise.denomination,
        message="Nous voulons agrandir l'atelier.",
        consentement=True,
    )
    structure = StructureFactory()

    convention_epci = ConventionFactory(epci=epci)
    EngagementAnnuel.objects.create(convention=convention_epci, annee=timezone.localdate().year)
    revue = revue_creer(
        par=None,
        epcis=[epci],
        participants_internes=[agent],
        date=timezone.localdate() + timedelta(days=20),
        heure=time(9, 30),
        lieu="Hôtel de Région, Lille",
        participants_partenaires="Marie Durand, CCI",
    )

    dispositif = DispositifFactory(nom="Aide à l'investissement productif des PME industrielles")
    etape = EtapeParcoursFactory(dispositifs=[dispositif])
    demande = demande_deposee(dispositif=dispositif, representant__etablissement=etablissement)
    accordee = demande_accordee(montant=Decimal("25000"), instructeur=agent)
    convention = sc.convention_creer(demande_id=accordee.pk, par=agent)

    pages = Pages(agent=agent, entreprise=demande.demandeur)
    pages.staff = [
        *PAGES_AGENTS_SANS_ID,
        f"/agents/territoires/epci/{epci.siren}/",
        f"/agents/territoires/conventions/{convention_epci.pk}/",
        f"/agents/territoires/conventions/{convention_epci.pk}/modifier/",
        f"/agents/crm/revues/{revue.pk}/",
        f"/agents/crm/entreprises/{entreprise.siren}/",
        f"/agents/crm/entreprises/{entreprise.siren}/interactions/nouvelle/",
        f"/agents/crm/entreprises/{entreprise.siren}/etablissements/nouveau/",
        f"/agents/crm/interactions/{interaction.pk}/",
        f"/agents/crm/sollicitations/{sollicitation.pk}/",
        f"/agents/crm/structures/{structure.pk}/",
        f"/agents/saf/conventions/{convention.pk}/",
        f"/agents/aides/{dispositif.pk}/",
        f"/agents/aides/{dispositif.pk}/modifier/",
        f"/agents/parcours/{etape.parcours.pk}/",
        f"/agents/parcours/{etape.parcours.pk}/modifier/",
        f"/agents/instruction/{demande.pk}/",
    ]
    pages.publiques += [f"/aides/{dispositif.slug}/", f"/territoires/{epci.siren}/contacts/"]
    pages.espace = ["/espace/", f"/espace/demandes/{demande.pk}/", "/espace/conventions/"]
    assert Commune.objects.exists() and date.today()
    return pages


__all__ = ["Pages", "pages_remplies", "Role"]
