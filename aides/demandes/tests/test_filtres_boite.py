"""Filters of the instruction inbox saved per agent: named, theirs only, French refusals."""

from html import unescape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aides.demandes.filters import requete_boite
from aides.demandes.models.filtres import FiltreEnregistre
from aides.demandes.services.filtres import FILTRES_MAX, filtre_enregistrer, filtre_supprimer
from aides.demandes.tests.factories import demande_deposee
from portal.roles import Role

pytestmark = pytest.mark.django_db

BOITE = reverse("aides_instruction:boite")


def test_an_agent_saves_the_current_criteria_under_a_name_and_finds_them_as_a_link(client, instructeur):
    client.force_login(instructeur)
    reponse = client.post(
        reverse("aides_instruction:filtre-enregistrer"),
        {"filtre-nom": "  Mes   retards ", "filtre-requete": "statut=&en_retard=on&page=3&pirate=1"},
    )
    filtre = FiltreEnregistre.objects.get(agent=instructeur)
    assert filtre.nom == "Mes retards" and filtre.requete == "statut=&en_retard=on"
    assert reponse["Location"] == f"{BOITE}?statut=&en_retard=on"
    page = unescape(client.get(reponse["Location"]).content.decode())
    assert "Filtre « Mes retards » enregistré." in page
    assert f'<a href="{BOITE}?statut=&en_retard=on">Mes retards</a>' in page
    assert 'name="filtre-requete" value="statut=&en_retard=on"' in page  # the next save starts from here


def test_an_empty_name_is_refused_in_french_next_to_the_field(client, instructeur):
    client.force_login(instructeur)
    reponse = client.post(reverse("aides_instruction:filtre-enregistrer"), {"filtre-nom": "   ", "filtre-requete": ""})
    assert reponse.status_code == 400 and "Donnez un nom au filtre." in reponse.content.decode()
    with pytest.raises(ValidationError) as erreur:
        filtre_enregistrer(agent=instructeur, nom="  ", requete="")
    assert erreur.value.message_dict == {"nom": ["Donnez un nom au filtre."]}
    assert not FiltreEnregistre.objects.exists()


def test_a_name_the_agent_already_uses_is_refused_whatever_its_case(client, instructeur, creer_agent):
    filtre_enregistrer(agent=instructeur, nom="Mes retards", requete="en_retard=on")
    client.force_login(instructeur)
    reponse = client.post(
        reverse("aides_instruction:filtre-enregistrer"), {"filtre-nom": "MES RETARDS", "filtre-requete": "statut="}
    )
    assert reponse.status_code == 400
    assert "Vous avez déjà un filtre nommé « MES RETARDS » : choisissez un autre nom." in unescape(
        reponse.content.decode()
    )
    # another agent may use the same name
    filtre_enregistrer(agent=creer_agent(Role.INSTRUCTEUR), nom="Mes retards", requete="")
    assert FiltreEnregistre.objects.filter(nom__iexact="mes retards").count() == 2


def test_the_database_refuses_a_duplicate_name_for_one_agent(instructeur):
    FiltreEnregistre.objects.create(agent=instructeur, nom="Aisne", requete="")
    with pytest.raises(IntegrityError), transaction.atomic():
        FiltreEnregistre.objects.create(agent=instructeur, nom="aisne", requete="")


def test_an_agent_keeps_a_bounded_number_of_filters(instructeur):
    FiltreEnregistre.objects.bulk_create(
        FiltreEnregistre(agent=instructeur, nom=f"Filtre {i}") for i in range(FILTRES_MAX)
    )
    with pytest.raises(ValidationError, match="supprimez-en un"):
        filtre_enregistrer(agent=instructeur, nom="Un de plus", requete="")


def test_a_role_that_does_not_read_applications_saves_no_filter(creer_agent):
    with pytest.raises(PermissionDenied):
        filtre_enregistrer(agent=creer_agent(Role.PILOTAGE), nom="Tout", requete="")


def test_an_agent_sees_only_their_own_filters(client, instructeur, creer_agent):
    collegue = creer_agent(Role.INSTRUCTEUR)
    filtre_enregistrer(agent=collegue, nom="Somme du collègue", requete="statut=")
    filtre_enregistrer(agent=instructeur, nom="Mon Aisne", requete="statut=")
    client.force_login(instructeur)
    page = client.get(BOITE).content.decode()
    assert "Mon Aisne" in page and "Somme du collègue" not in page


def test_the_owner_deletes_a_filter_another_agent_gets_404_and_it_stays(client, instructeur, creer_agent):
    filtre = filtre_enregistrer(agent=instructeur, nom="Mes retards", requete="en_retard=on")
    url = reverse("aides_instruction:filtre-supprimer", args=[filtre.pk])
    client.force_login(creer_agent(Role.INSTRUCTEUR))
    assert client.post(url).status_code == 404
    assert FiltreEnregistre.objects.filter(pk=filtre.pk).exists()
    with pytest.raises(PermissionDenied):
        filtre_supprimer(filtre=filtre, par=creer_agent(Role.ADMINISTRATEUR))
    client.force_login(instructeur)
    assert client.get(url).status_code == 405  # a link cannot delete it
    reponse = client.post(url)
    assert reponse.status_code == 302 and not FiltreEnregistre.objects.filter(pk=filtre.pk).exists()
    assert "Filtre « Mes retards » supprimé." in unescape(client.get(BOITE).content.decode())


def test_a_saved_filter_keeps_only_the_inbox_criteria_and_all_states():
    assert requete_boite(QueryDict("statut=&page=2&csrfmiddlewaretoken=x&dispositif=4&dispositif=5&epci=")) == (
        "statut=&dispositif=4"
    )
    assert requete_boite(QueryDict("mes_demandes=on&q=<script>")) == "mes_demandes=on"


def test_the_inbox_with_saved_filters_and_exports_runs_a_fixed_number_of_queries(client, instructeur):
    from django.db import connection

    from aides.demandes.services.filtres import export_demander

    client.force_login(instructeur)
    for i, statut in enumerate(("", "deposee", "accordee")):
        filtre_enregistrer(agent=instructeur, nom=f"Filtre {i}", requete=f"statut={statut}")
        export_demander(par=instructeur, requete=f"statut={statut}", format="csv")
    demande_deposee()
    with CaptureQueriesContext(connection) as peu:
        client.get(BOITE, {"statut": ""})
    for _ in range(4):
        demande_deposee()
    with CaptureQueriesContext(connection) as plus:
        client.get(BOITE, {"statut": ""})
    assert len(plus) == len(peu)
