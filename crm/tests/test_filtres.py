"""Each filter of the CRM's FilterSets narrows the list (crm/filters.py), with the GET names of the pages."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.test import RequestFactory
from django.utils import timezone

from crm.filters import EtablissementFilterSet, RevueFilterSet, SollicitationFilterSet
from crm.models import Accompagnement, Sollicitation
from crm.selectors import etablissements_liste, sollicitations_liste
from portal.models import Direction
from portal.roles import Role
from territoires.models import EPCI, Commune, RevueDeProjets

from .factories import EntrepriseFactory, EtablissementFactory, siren_valide

pytestmark = pytest.mark.django_db


def requete(user, **parametres):
    requete = RequestFactory().get("/", parametres)
    requete.user = user
    return requete


def etablissements(agent, **parametres) -> set[str]:
    r = requete(agent, **parametres)
    return {
        e.entreprise.denomination for e in EtablissementFilterSet(r.GET, queryset=etablissements_liste(), request=r).qs
    }


@pytest.fixture
def base():
    lille = Commune.objects.get(code_insee="59350")
    amiens = Commune.objects.get(code_insee="80021")
    boulangerie = EtablissementFactory(
        entreprise=EntrepriseFactory(siren=siren_valide(60_000_001), denomination="Boulangerie Lefèvre"),
        naf="10.71C",
        commune=amiens,
    )
    metallerie = EtablissementFactory(
        entreprise=EntrepriseFactory(siren=siren_valide(60_000_002), denomination="Métallerie du Vimeu"),
        naf="25.11Z",
        commune=lille,
        actif=False,
    )
    return {"boulangerie": boulangerie, "metallerie": metallerie, "lille": lille}


def test_each_search_filter_narrows_the_establishments(agent, base):
    tout = {"Boulangerie Lefèvre", "Métallerie du Vimeu"}
    assert etablissements(agent) == tout
    assert etablissements(agent, q="boulangrie") == {"Boulangerie Lefèvre"}
    assert etablissements(agent, q=base["metallerie"].siret[:9]) == {"Métallerie du Vimeu"}
    assert etablissements(agent, commune="59350") == {"Métallerie du Vimeu"}
    assert etablissements(agent, epci=base["lille"].epci_id) == {"Métallerie du Vimeu"}
    assert etablissements(agent, naf="1071C") == {"Boulangerie Lefèvre"}
    assert etablissements(agent, actifs="on") == {"Boulangerie Lefèvre"}


def test_the_support_filter_reads_the_agents_direction(agent, base):
    Accompagnement.objects.create(
        entreprise=base["boulangerie"].entreprise, direction=agent.direction, dernier_le="2026-01-05"
    )
    Accompagnement.objects.create(
        entreprise=base["metallerie"].entreprise, direction=Direction.objects.get(code="DFP"), dernier_le="2026-01-05"
    )
    assert etablissements(agent, accompagnement="ma_direction") == {"Boulangerie Lefèvre"}
    assert etablissements(agent, accompagnement="autre") == {"Métallerie du Vimeu"}
    Accompagnement.objects.filter(entreprise=base["metallerie"].entreprise).delete()
    assert etablissements(agent, accompagnement="jamais") == {"Métallerie du Vimeu"}


def test_an_invalid_criterion_finds_nothing(agent, base):
    assert etablissements(agent, epci="999999") == set()


def sollicitation(nom: str, *, direction: Direction, assigne=None, **champs) -> Sollicitation:
    s = Sollicitation.objects.create(
        nom=nom,
        email="x@exemple.fr",
        commune=Commune.objects.get(code_insee="80021"),
        besoin="investir",
        direction=direction,
        **champs,
    )
    if assigne is not None:
        s.assignes.add(assigne)
    return s


def sollicitations(agent, **parametres) -> list[str]:
    r = requete(agent, **parametres)
    return [s.nom for s in SollicitationFilterSet(r.GET, queryset=sollicitations_liste(), request=r).qs]


def test_each_inbox_filter_narrows_the_requests(creer_agent):
    daen, dfp = Direction.objects.get(code="DAEN"), Direction.objects.get(code="DFP")
    agent = creer_agent(Role.CHARGE_DE_MISSION, direction=daen)
    collegue = creer_agent(Role.CHARGE_DE_MISSION, direction=daen)
    il_y_a_un_mois = timezone.now() - timedelta(days=30)
    sollicitation("Mienne", direction=daen, assigne=agent, cree_le=il_y_a_un_mois)
    sollicitation("Mienne récente", direction=daen, assigne=agent)
    sollicitation("De la boîte", direction=daen)
    sollicitation("D'un collègue", direction=daen, assigne=collegue, statut=Sollicitation.Statut.CLOSE)
    sollicitation("Autre direction", direction=dfp)

    assert sollicitations(agent) == ["Mienne", "Mienne récente"]  # « Ma boîte », open ones, oldest first
    assert sollicitations(agent, onglet="direction") == ["De la boîte"]
    assert set(sollicitations(agent, onglet="toutes", statut="")) == {
        "Mienne", "Mienne récente", "De la boîte", "D'un collègue"
    }  # fmt: skip
    assert sollicitations(agent, onglet="toutes", statut="close") == ["D'un collègue"]
    assert sollicitations(agent, retard="1") == ["Mienne"]
    assert sollicitations(agent, onglet="n-importe-quoi", statut="???") == ["Mienne", "Mienne récente"]
    pilote = creer_agent(Role.PILOTAGE, direction=daen)
    assert "Autre direction" in sollicitations(pilote, onglet="toutes")


def test_reviews_are_upcoming_by_default_past_or_all_on_request_and_by_epci(creer_agent):
    pilotage = creer_agent(Role.PILOTAGE)
    amiens, abbeville = EPCI.objects.filter(departements__code="80")[:2]
    aujourd_hui = timezone.localdate()
    passee = RevueDeProjets.objects.create(date=aujourd_hui - timedelta(days=10), lieu="Amiens", creee_par=pilotage)
    passee.epcis.add(amiens)
    prochaine = RevueDeProjets.objects.create(date=aujourd_hui + timedelta(days=40), lieu="Amiens", creee_par=pilotage)
    prochaine.epcis.add(amiens)
    bientot = RevueDeProjets.objects.create(date=aujourd_hui + timedelta(days=5), lieu="Abbeville", creee_par=pilotage)
    bientot.epcis.add(abbeville)

    def revues(**parametres) -> list[RevueDeProjets]:
        return list(
            RevueFilterSet(QueryDict(urlencode(parametres)), queryset=RevueDeProjets.objects.order_by("-date")).qs
        )

    assert revues() == [bientot, prochaine]  # the soonest first
    assert revues(periode="n-importe-quoi") == [bientot, prochaine]
    assert revues(periode="passees") == [passee]
    assert revues(periode="toutes") == [prochaine, bientot, passee]
    assert revues(periode="toutes", epci=str(amiens.pk)) == [prochaine, passee]
