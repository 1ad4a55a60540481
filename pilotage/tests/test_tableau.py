"""The staff dashboard /agents/: what each role must act on today, counts linking to filtered lists."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from aides.models import Statut
from crm.models import Sollicitation
from pilotage.agregats import agregats_rafraichir
from portal.roles import Role
from portal.tableau import SLOT_RATTACHEMENTS, AFaire, a_faire, bloc_enregistrer

from . import donnees as d

pytestmark = pytest.mark.django_db


def _element(reponse, code: str) -> AFaire:
    return next(e for e in reponse.context["a_faire"] if e.code == code)


def test_my_requests_past_their_deadline_are_counted_and_the_link_lists_exactly_them(client, creer_agent):
    agent = creer_agent(Role.CHARGE_DE_MISSION)
    maintenant = timezone.now()
    en_retard = d.sollicitation(recue=maintenant - timedelta(days=9), assigne=agent)
    d.sollicitation(recue=maintenant, assigne=agent)  # just received
    d.sollicitation(recue=maintenant - timedelta(days=30), statut=Sollicitation.Statut.REPONDUE, assigne=agent)
    d.sollicitation(recue=maintenant - timedelta(days=9))  # not mine
    client.force_login(agent)

    element = _element(client.get("/agents/"), "sollicitations_en_retard")
    assert element.nombre == 1
    liste = client.get(element.url)
    assert [s.pk for s in liste.context["page"]] == [en_retard.pk]


def test_files_past_the_target_delay_are_counted_for_the_instructeur(client, creer_agent):
    instructeur = creer_agent(Role.INSTRUCTEUR, direction=d.direction("DAEN"))
    dispositif = d.DispositifFactory(delai_instruction_cible_jours=30)
    etab = d.etablissement()
    maintenant = timezone.now()
    ancien = d.demande(
        dispositif=dispositif, etablissement=etab, statut=Statut.EN_INSTRUCTION,
        depose=maintenant - timedelta(days=31), instructeur=instructeur,
    )  # fmt: skip
    d.demande(dispositif=dispositif, etablissement=etab, statut=Statut.DEPOSEE, depose=maintenant - timedelta(days=29))
    d.demande(
        dispositif=dispositif,
        etablissement=etab,
        statut=Statut.ACCORDEE,
        depose=maintenant - timedelta(days=90),
        decide=maintenant,
        montant_accorde=Decimal("5000"),
    )  # fmt: skip  (decided: nothing to do)
    client.force_login(instructeur)

    reponse = client.get("/agents/")
    hors_delai = _element(reponse, "instruction_hors_delai")
    assert hors_delai.nombre == 1
    assert [x.pk for x in client.get(hors_delai.url).context["page"]] == [ancien.pk]
    assert _element(reponse, "instruction_miens").nombre == 1
    assert _element(reponse, "instruction_non_attribues").nombre == 1


def test_saf_sees_payments_to_check_and_pilotage_conventions_to_sign(client, creer_agent):
    gestionnaire = creer_agent(Role.GESTIONNAIRE_SAF)
    pilote = creer_agent(Role.PILOTAGE)
    dispositif = d.DispositifFactory()
    maintenant = timezone.now()
    accordee = d.demande(
        dispositif=dispositif, etablissement=d.etablissement(), statut=Statut.ACCORDEE,
        depose=maintenant - timedelta(days=60), decide=maintenant - timedelta(days=10),
        montant_accorde=Decimal("8000"),
    )  # fmt: skip
    c = d.convention(accordee)
    d.versement(c, montant=Decimal("1000"))
    a_signer = d.demande(
        dispositif=dispositif, etablissement=d.etablissement(), statut=Statut.ACCORDEE,
        depose=maintenant - timedelta(days=60), decide=maintenant - timedelta(days=10),
        montant_accorde=Decimal("8000"),
    )  # fmt: skip
    d.convention(a_signer, etape="signee_beneficiaire")

    client.force_login(gestionnaire)
    element = _element(client.get("/agents/"), "versements_a_controler")
    assert element.nombre == 1
    assert [x.pk for x in client.get(element.url).context["page"]] == [c.pk]

    client.force_login(pilote)
    reponse = client.get("/agents/")
    assert _element(reponse, "conventions_a_signer").nombre == 1
    assert "versements_a_controler" not in {e.code for e in reponse.context["a_faire"]}


def test_figures_of_the_scope_pilotage_sees_every_direction(client, creer_agent):
    pilote = creer_agent(Role.PILOTAGE, direction=d.direction("DPEAP"))
    charge = creer_agent(Role.CHARGE_DE_MISSION, direction=d.direction("DPEAP"))
    maintenant = timezone.now()
    d.sollicitation(recue=maintenant, direction=d.direction("DAEN"))
    agregats_rafraichir()
    client.force_login(pilote)
    titre, chiffres = client.get("/agents/").context["chiffres"][0]
    assert "toutes directions" in titre
    assert next(c for c in chiffres if c.libelle == "Demandes de contact reçues").valeur == "1"
    client.force_login(charge)
    titre, chiffres = client.get("/agents/").context["chiffres"][0]
    assert "DPEAP" in titre
    assert next(c for c in chiffres if c.libelle == "Demandes de contact reçues").valeur == "0"


def test_the_request_inbox_of_pilotage_covers_every_direction(client, creer_agent):
    pilote = creer_agent(Role.PILOTAGE, direction=d.direction("DPEAP"))
    d.sollicitation(recue=timezone.now(), direction=d.direction("DAEN"))
    client.force_login(pilote)
    reponse = client.get(reverse("crm_agents:sollicitations"), {"onglet": "toutes"})
    assert reponse.context["page"].paginator.count == 1
    assert reponse.context["delais"]["recues"] == 1


def test_another_app_adds_a_block_through_the_registry(creer_agent):
    agent = creer_agent(Role.ADMINISTRATEUR)

    def rattachements(user):
        return [AFaire(code=SLOT_RATTACHEMENTS, libelle="Rattachements à vérifier", nombre=2, url="/x/")]

    bloc_enregistrer(rattachements)
    try:
        assert SLOT_RATTACHEMENTS in {e.code for e in a_faire(agent)}
    finally:
        from portal import tableau

        tableau._BLOCS.remove(rattachements)


@pytest.mark.parametrize("role", [Role.PILOTAGE, Role.INSTRUCTEUR, Role.GESTIONNAIRE_SAF, Role.CHARGE_DE_MISSION])
def test_the_dashboard_runs_a_bounded_number_of_queries(client, creer_agent, django_assert_max_num_queries, role):
    agent = creer_agent(role, direction=d.direction("DAEN"))
    dispositif = d.DispositifFactory()
    maintenant = timezone.now()
    for i in range(15):
        d.demande(
            dispositif=dispositif, etablissement=d.etablissement(), statut=Statut.EN_INSTRUCTION,
            depose=maintenant - timedelta(days=i * 7),
        )  # fmt: skip
        d.sollicitation(recue=maintenant - timedelta(days=i), assigne=agent)
    client.force_login(agent)
    with django_assert_max_num_queries(17):  # + the user's roles, read once per request (least privilege)
        assert client.get("/agents/").status_code == 200


def test_anonymous_goes_to_login_and_a_company_gets_403(client, utilisateur_entreprise):
    assert client.get("/agents/").status_code == 302
    client.force_login(utilisateur_entreprise)
    assert client.get("/agents/").status_code == 403
