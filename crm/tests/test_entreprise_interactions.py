from datetime import date, timedelta

import pytest
from django.urls import reverse

from crm import services
from crm.models import Contact, Entreprise, Interaction, Tache
from portal.models import Direction
from portal.roles import Role

from .factories import (
    ContactFactory,
    EntrepriseFactory,
    EtablissementFactory,
    StructureFactory,
    siren_valide,
    siret_valide,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def etablissement():
    return EtablissementFactory(entreprise=EntrepriseFactory(denomination="Conserverie du Calaisis"))


def noter(auteur, entreprise, **champs):
    valeurs = {"type": "visite", "date": date(2026, 3, 2), "objet": "Visite", "agents": [auteur], **champs}
    return services.interaction_enregistrer(auteur=auteur, entreprise=entreprise, **valeurs)


def formulaire(etablissement, **champs) -> dict:
    return {
        "type": "visite", "date": "2026-11-20", "objet": "Visite de l'atelier", "etablissement": etablissement.pk,
        "themes": ["developpement"], "notes": "Projet d'extension.",
        "taches-TOTAL_FORMS": "2", "taches-INITIAL_FORMS": "0", "taches-MIN_NUM_FORMS": "0",
        "taches-MAX_NUM_FORMS": "10", **champs,
    }  # fmt: skip


def test_the_company_page_shows_one_timeline_across_directions_newest_first(
    client, creer_agent, etablissement, django_assert_max_num_queries
):
    entreprise = etablissement.entreprise
    daen = creer_agent(Role.CHARGE_DE_MISSION)
    dpre = creer_agent(Role.CHARGE_DE_MISSION, direction=Direction.objects.get(code="DPRE"))
    noter(daen, entreprise, objet="Première visite", date=date(2026, 1, 10))
    noter(dpre, entreprise, objet="Rendez-vous recrutement", date=date(2026, 6, 1), type="rendez_vous")
    sollicitation = services.sollicitation_creer(
        commune=etablissement.commune, besoin="investir", origine="agent", nom="Claire", email="c@x.fr",
        entreprise=entreprise,
    )  # fmt: skip
    services.sollicitation_repondre(sollicitation=sollicitation, par=daen, reponse="Orientée vers le PIA régional.")
    client.force_login(dpre)

    with django_assert_max_num_queries(30):
        reponse = client.get(entreprise.get_absolute_url())

    titres = [e.titre for e in reponse.context["evenements"]]
    assert titres[1:] == ["Rendez-vous recrutement", "Première visite"]
    assert reponse.context["evenements"][0].genre == "sollicitation"
    contenu = reponse.content.decode()
    assert "Déjà accompagnée par" in contenu and "Direction Proch&#x27;emploi" in contenu
    assert "Dernière réponse apportée le" in contenu


def test_the_company_page_runs_the_same_number_of_queries_whatever_the_history(
    agent_client, agent, etablissement, django_assert_num_queries
):
    entreprise = etablissement.entreprise
    noter(agent, entreprise, contacts=[ContactFactory(entreprise=entreprise)])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as avant:
        agent_client.get(entreprise.get_absolute_url())
    for n in range(8):
        noter(agent, entreprise, objet=f"Appel {n}", contacts=[ContactFactory(entreprise=entreprise)],
              structures=[StructureFactory()],
              taches=[{"titre": "Rappeler", "assignee": agent, "echeance": date(2026, 12, 1)}])  # fmt: skip
    with django_assert_num_queries(len(avant)):
        agent_client.get(entreprise.get_absolute_url())


def test_logging_a_visit_with_a_new_contact_and_a_task(agent_client, agent, creer_agent, etablissement):
    collegue = creer_agent(Role.CHARGE_DE_MISSION, direction=Direction.objects.get(code="DFP"))
    cci = StructureFactory(nom="CCI Hauts-de-France", sigle="CCI")
    entreprise = etablissement.entreprise
    url = reverse("crm_agents:interaction-nouvelle", args=[entreprise.siren])
    assert "pas d&#x27;opinion" in agent_client.get(url).content.decode()

    reponse = agent_client.post(
        url,
        formulaire(
            etablissement, agents=[collegue.pk], structures=[cci.pk], nouveau_prenom="Paul", nouveau_nom="Vasseur",
            nouveau_fonction="Directeur", nouveau_email="paul@conserverie.fr", **{
                "taches-0-titre": "Envoyer le dossier d'aide", "taches-0-assignee": collegue.pk,
                "taches-0-echeance": "2026-12-04",
            },
        ),
    )  # fmt: skip

    assert reponse.status_code == 302
    interaction = Interaction.objects.get()
    assert set(interaction.agents.all()) == {agent, collegue}
    assert [str(c) for c in interaction.contacts.all()] == ["Paul Vasseur (Directeur)"]
    assert list(interaction.structures.all()) == [cci]
    tache = Tache.objects.get()
    assert (tache.assignee, tache.echeance, tache.interaction) == (collegue, date(2026, 12, 4), interaction)
    contact = Contact.objects.get()
    assert contact.conserver_jusquau == date(2029, 11, 20)  # three years after the visit
    assert set(entreprise.accompagnements.values_list("direction__code", flat=True)) == {"DAEN", "DFP"}


def test_a_joint_visit_appears_once_in_each_participants_list(client, creer_agent, etablissement):
    daen = creer_agent(Role.CHARGE_DE_MISSION)
    dfp = creer_agent(Role.CHARGE_DE_MISSION, direction=Direction.objects.get(code="DFP"))
    noter(daen, etablissement.entreprise, agents=[daen, dfp], objet="Visite conjointe")
    for participant in (daen, dfp):
        client.force_login(participant)
        page = client.get(reverse("crm_agents:mes-interactions")).context["page"]
        assert [i.objet for i in page.object_list] == ["Visite conjointe"]


def test_only_the_author_edits_an_interaction_and_every_version_is_kept(client, creer_agent, etablissement):
    auteur, autre = creer_agent(Role.CHARGE_DE_MISSION), creer_agent(Role.CHARGE_DE_MISSION)
    interaction = noter(auteur, etablissement.entreprise, objet="Version 1")
    url = reverse("crm_agents:interaction-modifier", args=[interaction.pk])

    client.force_login(autre)
    client.post(url, formulaire(etablissement, objet="Piratée"))
    interaction.refresh_from_db()
    assert interaction.objet == "Version 1"

    client.force_login(auteur)
    assert client.post(url, formulaire(etablissement, objet="Version 2")).status_code == 302
    interaction.refresh_from_db()
    assert interaction.objet == "Version 2"
    assert list(interaction.history.order_by("history_date").values_list("objet", flat=True))[-2:] == [
        "Version 1",
        "Version 2",
    ]
    assert "Version 1" in client.get(reverse("crm_agents:interaction", args=[interaction.pk])).content.decode()


def test_a_missing_field_keeps_what_was_typed_and_explains_in_french(agent_client, etablissement):
    url = reverse("crm_agents:interaction-nouvelle", args=[etablissement.entreprise.siren])
    reponse = agent_client.post(url, formulaire(etablissement, objet="", notes="Texte saisi", nouveau_email="x@y.fr"))
    contenu = reponse.content.decode()
    assert reponse.status_code == 200 and "Texte saisi" in contenu
    assert "Indiquez le nom de la personne rencontrée" in contenu
    assert Interaction.objects.count() == 0


def test_a_contact_with_an_existing_email_is_proposed_before_a_second_is_created(agent_client, etablissement):
    existant = ContactFactory(entreprise=etablissement.entreprise, email="paul@conserverie.fr")
    url = reverse("crm_agents:contact-nouveau", args=[etablissement.entreprise.siren])
    donnees = {"nom": "Vasseur", "email": "Paul@conserverie.fr", "base_legale": "interet_legitime"}

    reponse = agent_client.post(url, donnees)
    assert reponse.status_code == 200 and existant.nom in reponse.content.decode()
    assert Contact.objects.count() == 1

    assert agent_client.post(url, {**donnees, "creer_quand_meme": "on"}).status_code == 302
    assert Contact.objects.count() == 2


def test_creating_an_existing_company_or_establishment_opens_it(agent_client, etablissement):
    entreprise = etablissement.entreprise
    reponse = agent_client.post(
        reverse("crm_agents:entreprise-nouvelle"), {"siren": entreprise.siren, "denomination": "Doublon"}
    )
    assert reponse["Location"] == entreprise.get_absolute_url()
    reponse = agent_client.post(
        reverse("crm_agents:etablissement-nouveau", args=[entreprise.siren]),
        {"siret": etablissement.siret, "commune": "80021"},
    )
    assert reponse["Location"].startswith(entreprise.get_absolute_url())
    assert entreprise.etablissements.count() == 1


def test_a_new_company_with_a_bad_siren_gets_a_french_message(agent_client):
    reponse = agent_client.post(reverse("crm_agents:entreprise-nouvelle"), {"siren": "123456789", "denomination": "X"})
    assert "clé de contrôle est fausse" in reponse.content.decode()


def test_an_html_tag_in_a_name_gets_a_french_message_and_keeps_what_was_typed(agent_client, etablissement):
    reponse = agent_client.post(
        reverse("crm_agents:entreprise-nouvelle"),
        {"siren": "732829320", "denomination": "<b>Menuiserie</b> Vasseur", "sigle": "MV"},
    )
    contenu = reponse.content.decode()
    assert reponse.status_code == 200 and "Les balises HTML" in contenu
    assert 'value="732829320"' in contenu and 'value="MV"' in contenu
    assert "&lt;b&gt;Menuiserie&lt;/b&gt; Vasseur" in contenu  # kept, shown as text

    url = reverse("crm_agents:interaction-nouvelle", args=[etablissement.entreprise.siren])
    reponse = agent_client.post(url, formulaire(etablissement, nouveau_nom="<script>x</script>", notes="Saisi"))
    contenu = reponse.content.decode()
    assert reponse.status_code == 200 and "Les balises HTML" in contenu and "Saisi" in contenu
    assert not Interaction.objects.exists() and not Contact.objects.exists()
    assert Entreprise.objects.filter(siren="732829320").count() == 0


def test_changing_the_referent_keeps_a_trace(agent_client, agent, creer_agent, etablissement):
    entreprise = etablissement.entreprise
    nouveau = creer_agent(Role.CHARGE_DE_MISSION)
    url = reverse("crm_agents:referent", args=[entreprise.siren])
    agent_client.post(url, {"referent": nouveau.pk, "motif": "Changement de territoire"})
    entreprise.refresh_from_db()
    assert entreprise.referent == nouveau
    trace = entreprise.changements_referent.get()
    assert (trace.ancien, trace.nouveau, trace.par, trace.motif) == (None, nouveau, agent, "Changement de territoire")


def test_a_bad_siren_in_the_url_is_a_404(agent_client):
    assert agent_client.get(reverse("crm_agents:entreprise", args=["999999999"])).status_code == 404
    assert agent_client.get(reverse("crm_agents:interaction", args=[999999])).status_code == 404


def test_open_tasks_show_on_the_company_page_and_can_be_closed(agent_client, agent, etablissement):
    tache = services.tache_creer(
        entreprise=etablissement.entreprise, titre="Rappeler le dirigeant", assignee=agent,
        echeance=date.today() + timedelta(days=3), cree_par=agent,
    )  # fmt: skip
    assert "Rappeler le dirigeant" in agent_client.get(etablissement.entreprise.get_absolute_url()).content.decode()
    agent_client.post(reverse("crm_agents:tache-terminer", args=[tache.pk]))
    tache.refresh_from_db()
    assert tache.faite_le is not None


def test_every_page_taking_an_id_answers_404_to_a_bad_one(agent_client):
    for url in (
        reverse("crm_agents:etablissement-nouveau", args=["999999999"]),
        reverse("crm_agents:contact-nouveau", args=["999999999"]),
        reverse("crm_agents:interaction-nouvelle", args=["999999999"]),
        reverse("crm_agents:interaction-modifier", args=[999999]),
        reverse("crm_agents:sollicitation", args=[999999]),
    ):
        assert agent_client.get(url).status_code == 404, url
    # The GDPR export is the data-protection officer's: refused before any lookup for everyone else.
    assert agent_client.get(reverse("crm_agents:contact-export", args=[999999])).status_code == 403
    for url in (
        reverse("crm_agents:referent", args=["999999999"]),
        reverse("crm_agents:tache-nouvelle", args=["999999999"]),
        reverse("crm_agents:tache-terminer", args=[999999]),
    ):
        assert agent_client.post(url, {"titre": "x"}).status_code == 404, url
    assert agent_client.get(reverse("crm_agents:recherche"), {"epci": "abc", "page": "zz"}).status_code == 200


def test_a_long_history_is_paginated_newest_first(agent_client, agent, etablissement):
    entreprise = etablissement.entreprise
    for n in range(32):
        noter(agent, entreprise, objet=f"Appel {n:02d}", date=date(2026, 1, 1) + timedelta(days=n), type="appel")

    premiere = agent_client.get(entreprise.get_absolute_url())
    assert [e.titre for e in premiere.context["evenements"]][:2] == ["Appel 31", "Appel 30"]
    assert len(premiere.context["evenements"]) == 30
    assert f'href="{entreprise.get_absolute_url()}?page=2#titre-historique"' in premiere.content.decode()

    seconde = agent_client.get(entreprise.get_absolute_url(), {"page": 2})
    assert [e.titre for e in seconde.context["evenements"]] == ["Appel 01", "Appel 00"]


def test_a_company_with_many_establishments_shows_the_first_ones_and_links_to_the_rest(
    agent_client, etablissement, monkeypatch
):
    monkeypatch.setattr("crm.selectors.ETABLISSEMENTS_AFFICHES", 2)
    entreprise = etablissement.entreprise
    for nic in (2, 3):
        EtablissementFactory(entreprise=entreprise, siret=siret_valide(entreprise.siren, nic), siege=False)

    contenu = agent_client.get(entreprise.get_absolute_url()).content.decode()

    assert contenu.count('<tr id="etablissement-') == 2
    assert f"?q={entreprise.siren}" in contenu and "voir tous les établissements" in contenu


def test_a_rejected_task_is_shown_again_with_its_errors_and_what_was_typed(agent_client, etablissement):
    url = reverse("crm_agents:tache-nouvelle", args=[etablissement.entreprise.siren])
    reponse = agent_client.post(url, {"titre": "Envoyer le dossier PM'up", "echeance": "2026-12-15"})
    contenu = reponse.content.decode()
    assert reponse.status_code == 200 and "Choisissez qui s&#x27;en charge." in contenu
    assert "Envoyer le dossier PM&#x27;up" in contenu and 'value="2026-12-15"' in contenu
    assert not Tache.objects.exists()


def test_a_malformed_siret_gets_a_french_message_and_keeps_what_was_typed(agent_client, etablissement):
    url = reverse("crm_agents:etablissement-nouveau", args=[etablissement.entreprise.siren])
    donnees = {"siret": "1234567890123", "enseigne": "Atelier du port", "adresse": "2 quai Nord", "commune": "Calais"}

    contenu = agent_client.post(url, donnees).content.decode()
    assert "Le SIRET compte exactement 14 chiffres." in contenu
    assert 'value="Atelier du port"' in contenu and 'value="2 quai Nord"' in contenu and 'value="Calais"' in contenu

    autre = siret_valide(siren_valide(40_000_001))  # a valid SIRET of another company
    contenu = agent_client.post(url, {**donnees, "siret": autre}).content.decode()
    assert f"ses 9 premiers chiffres doivent être le SIREN {etablissement.entreprise.siren}" in contenu
    assert etablissement.entreprise.etablissements.count() == 1
