"""Each filter of the instruction inbox's FilterSet narrows it (aides/demandes/filters.py)."""

from datetime import timedelta

import pytest
from django.http import QueryDict
from django.test import RequestFactory

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.tests.factories import DispositifFactory
from aides.conventions.tests.factories import demande_accordee
from aides.demandes.filters import DemandeBoiteFilterSet
from aides.demandes.models.demande import Demande
from aides.demandes.selectors import demandes_boite
from aides.demandes.tests.factories import demande_deposee, demande_en_instruction
from portal.roles import Role

pytestmark = pytest.mark.django_db


def boite(user, parametres: str = "") -> list[Demande]:
    requete = RequestFactory().get("/")
    requete.user = user
    return list(DemandeBoiteFilterSet(QueryDict(parametres), queryset=demandes_boite(), request=requete).qs)


def test_each_inbox_filter_narrows_the_applications(creer_agent):
    moi = creer_agent(Role.INSTRUCTEUR)
    accordee = demande_accordee(instructeur=moi)
    miennes = demande_en_instruction(moi)
    ailleurs = demande_deposee(dispositif=DispositifFactory(delai_instruction_cible_jours=10))
    maintenant = ailleurs.depose_le
    for demande, jours in [(accordee, 60), (miennes, 30), (ailleurs, 20)]:
        Demande.objects.filter(pk=demande.pk).update(depose_le=maintenant - timedelta(days=jours))
    commune = ailleurs.etablissement.commune

    assert boite(moi) == [miennes, ailleurs]  # to act on, the longest waiting first
    assert boite(moi, "statut=") == [ailleurs, miennes, accordee]  # every state, the newest first
    assert boite(moi, "statut=accordee") == [accordee]
    assert boite(moi, "statut=&mes_demandes=on") == [miennes, accordee]
    assert boite(moi, "non_attribuees=on") == [ailleurs]
    assert boite(moi, "en_retard=on") == [ailleurs]
    assert boite(moi, f"statut=&dispositif={ailleurs.dispositif_id}") == [ailleurs]
    assert boite(moi, f"statut=&direction={ailleurs.dispositif.direction_id}") == [ailleurs, miennes, accordee]
    assert ailleurs in boite(moi, f"departement={commune.departement_id}")
    assert ailleurs in boite(moi, f"epci={commune.epci_id}")
    assert boite(moi, "statut=n-importe-quoi&mes_demandes=on") == [miennes, ailleurs]  # invalid: the default


def test_a_draft_dispositif_is_not_a_choice():
    brouillon = DispositifFactory(statut=Dispositif.Statut.BROUILLON)
    choix = DemandeBoiteFilterSet(QueryDict(""), queryset=demandes_boite()).form.fields["dispositif"].queryset
    assert brouillon not in choix
