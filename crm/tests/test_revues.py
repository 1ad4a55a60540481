"""Project reviews, the CRM side: agenda of companies, minutes, decisions as CRM tasks, the sections
added to territoires' review and EPCI pages, and the company timeline."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from crm import services
from crm.models import PointRevue, Sollicitation, Tache
from crm.referentiels import Besoin
from crm.revues import delais_territoire, point_ajouter
from crm.services_revues import revue_creer
from crm.tests.factories import EtablissementFactory
from portal.models import Direction, Notification
from portal.roles import Role
from territoires.models import Commune
from territoires.tests.factories import AffectationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def charge(creer_agent, amiens):
    agent = creer_agent(Role.CHARGE_DE_MISSION, first_name="Inès", last_name="Carpentier")
    AffectationFactory(agent=agent, epci=amiens)
    return agent


@pytest.fixture
def revue(amiens, charge, pilotage):
    return revue_creer(
        par=pilotage, epcis=[amiens], participants_internes=[charge], date=date(2027, 3, 10), lieu="Hôtel de Région"
    )


@pytest.fixture
def boulangerie(db):
    return EtablissementFactory(entreprise__denomination="Boulangerie Lefèvre").entreprise


@pytest.fixture
def metallerie(db):
    return EtablissementFactory(entreprise__denomination="Métallerie du Vimeu").entreprise


def url(revue, fin=""):
    return f"/agents/crm/revues/{revue.pk}/{fin}"


def page_revue(client, revue) -> str:
    return client.get(f"/agents/crm/revues/{revue.pk}/").content.decode()


# --- Agenda ---------------------------------------------------------------------------------------


def test_a_company_typed_by_name_goes_on_the_agenda_in_order(client, charge, revue, boulangerie, metallerie):
    client.force_login(charge)
    reponse = client.post(url(revue, "points/"), {"point-recherche": "boulangerie lefevre", "point-sujet": "Reprise"})
    point = PointRevue.objects.get()
    assert reponse["Location"] == f"/agents/crm/revues/{revue.pk}/#point-{point.pk}"
    client.post(url(revue, "points/"), {"point-recherche": metallerie.siren, "point-sujet": "Extension de l'atelier"})
    assert [(p.ordre, p.entreprise, p.sujet) for p in revue.points.all()] == [
        (1, boulangerie, "Reprise"),
        (2, metallerie, "Extension de l'atelier"),
    ]
    page = page_revue(client, revue)
    assert "Boulangerie Lefèvre" in page and "Extension de l&#x27;atelier" in page
    assert f"/agents/crm/entreprises/{metallerie.siren}/" in page


def test_several_matches_are_offered_to_choose_from_keeping_the_subject(client, charge, revue):
    premiere = EtablissementFactory(entreprise__denomination="Menuiserie Dupont").entreprise
    EtablissementFactory(entreprise__denomination="Menuiserie Dupond")
    client.force_login(charge)
    reponse = client.post(url(revue, "points/"), {"point-recherche": "menuiserie dupon", "point-sujet": "Export"})
    page = reponse.content.decode()
    assert reponse.status_code == 200
    assert "Plusieurs entreprises correspondent" in page
    assert f'value="{premiere.siren}"' in page and 'name="point-siren"' in page
    assert 'value="Export"' in page
    assert not PointRevue.objects.exists()
    client.post(url(revue, "points/"), {"point-siren": premiere.siren, "point-sujet": "Export"})
    assert PointRevue.objects.get().entreprise == premiere


def test_an_unknown_company_or_one_already_on_the_agenda_gets_a_french_error(client, charge, revue, boulangerie):
    client.force_login(charge)
    page = client.post(url(revue, "points/"), {"point-recherche": "Zzyzx Qwerty", "point-sujet": "x"}).content.decode()
    assert "Aucune entreprise du CRM ne correspond à « Zzyzx Qwerty »" in page
    client.post(url(revue, "points/"), {"point-recherche": boulangerie.siren, "point-sujet": "Reprise"})
    page = client.post(url(revue, "points/"), {"point-recherche": boulangerie.siren, "point-sujet": "Encore"}).content
    assert "Cette entreprise est déjà à l&#x27;ordre du jour de cette revue." in page.decode()
    assert PointRevue.objects.count() == 1


def test_the_minutes_of_every_item_are_saved_at_once(client, charge, revue, boulangerie, metallerie):
    un = point_ajouter(revue=revue, entreprise=boulangerie, sujet="Reprise", par=charge)
    deux = point_ajouter(revue=revue, entreprise=metallerie, sujet="Extension", par=charge)
    client.force_login(charge)
    reponse = client.post(
        url(revue, "compte-rendu/"),
        {f"cr-point_{un.pk}": "Plan de financement à revoir.", f"cr-point_{deux.pk}": "Terrain proposé par l'EPCI."},
    )
    assert reponse.status_code == 302
    un.refresh_from_db()
    deux.refresh_from_db()
    assert (un.compte_rendu, deux.compte_rendu) == ("Plan de financement à revoir.", "Terrain proposé par l'EPCI.")
    assert "Plan de financement à revoir." in page_revue(client, revue)


def test_a_decision_becomes_a_crm_task_with_assignee_and_due_date_shown_on_the_timeline(
    client, charge, pilotage, revue, boulangerie
):
    point = point_ajouter(revue=revue, entreprise=boulangerie, sujet="Reprise du fonds", par=charge)
    PointRevue.objects.filter(pk=point.pk).update(compte_rendu="HDFID étudie un prêt.")
    client.force_login(charge)
    reponse = client.post(
        url(revue, "decisions/"),
        {
            "decision-point": str(point.pk),
            "decision-titre": "Transmettre le dossier à HDFID",
            "decision-assignee": str(pilotage.pk),
            "decision-echeance": "2027-03-24",
        },
    )
    assert reponse.status_code == 302
    tache = Tache.objects.get()
    assert (tache.entreprise, tache.point_revue, tache.assignee, tache.echeance, tache.cree_par) == (
        boulangerie,
        point,
        pilotage,
        date(2027, 3, 24),
        charge,
    )
    assert Notification.objects.filter(gabarit="crm_tache", utilisateur=pilotage).exists()
    fiche = client.get(f"/agents/crm/entreprises/{boulangerie.siren}/").content.decode()
    assert "Revue de projets" in fiche and "Reprise du fonds" in fiche and "HDFID étudie un prêt." in fiche
    assert "Décision : Transmettre le dossier à HDFID" in fiche
    assert "Transmettre le dossier à HDFID" in page_revue(client, revue)


def test_a_decision_without_assignee_is_shown_again_with_its_error_and_what_was_typed(
    client, charge, revue, boulangerie
):
    point = point_ajouter(revue=revue, entreprise=boulangerie, sujet="Reprise", par=charge)
    client.force_login(charge)
    reponse = client.post(
        url(revue, "decisions/"),
        {"decision-point": str(point.pk), "decision-titre": "Appeler le dirigeant", "decision-echeance": ""},
    )
    page = reponse.content.decode()
    assert reponse.status_code == 200
    assert "Choisissez qui s&#x27;en charge." in page and "Indiquez une échéance." in page
    assert 'value="Appeler le dirigeant"' in page and "<title>Erreur –" in page
    assert not Tache.objects.exists()


def test_an_agent_outside_the_review_reads_it_but_cannot_change_it(client, creer_agent, charge, revue, boulangerie):
    point = point_ajouter(revue=revue, entreprise=boulangerie, sujet="Reprise", par=charge)
    client.force_login(creer_agent(Role.CHARGE_DE_MISSION))
    page = page_revue(client, revue)
    assert "Boulangerie Lefèvre" in page and "Ajouter à l&#x27;ordre du jour" not in page
    assert client.post(url(revue, "points/"), {"point-recherche": "x", "point-sujet": "y"}).status_code == 403
    assert client.post(url(revue, "compte-rendu/"), {f"cr-point_{point.pk}": "x"}).status_code == 403
    assert client.post(f"/agents/crm/revues/points/{point.pk}/retirer/").status_code == 403
    assert client.post("/agents/crm/revues/999999/points/", {}).status_code == 404
    assert PointRevue.objects.get().compte_rendu == ""


def test_a_company_user_gets_403_on_every_review_action(client, utilisateur_entreprise, revue):
    client.force_login(utilisateur_entreprise)
    assert client.post(url(revue, "points/"), {}).status_code == 403
    assert client.post(url(revue, "documents/ordre_du_jour/")).status_code == 403


def test_an_item_without_decision_can_be_removed(client, charge, revue, boulangerie):
    point = point_ajouter(revue=revue, entreprise=boulangerie, sujet="Reprise", par=charge)
    client.force_login(charge)
    assert client.post(f"/agents/crm/revues/points/{point.pk}/retirer/").status_code == 302
    assert not PointRevue.objects.exists()


def test_the_review_page_runs_a_bounded_number_of_queries(
    client, charge, pilotage, revue, django_assert_max_num_queries
):
    for n in range(12):
        entreprise = EtablissementFactory().entreprise
        point = point_ajouter(revue=revue, entreprise=entreprise, sujet=f"Sujet {n}", par=charge)
        services.tache_creer(
            entreprise=entreprise,
            titre=f"Suite {n}",
            assignee=pilotage,
            echeance=date(2027, 4, 1),
            point_revue=point,
            cree_par=charge,
        )
    client.force_login(charge)
    with django_assert_max_num_queries(25):
        page = page_revue(client, revue)
    assert "Sujet 11" in page and "Suite 11" in page


# --- EPCI page ----------------------------------------------------------------------------------


def test_the_epci_page_lists_the_companies_of_the_territory_helped_and_not_the_others(
    client, charge, amiens, django_assert_max_num_queries
):
    aidees = []
    for n in range(3):
        etablissement = EtablissementFactory(entreprise__denomination=f"Aidée {n}")
        services.interaction_enregistrer(
            auteur=charge,
            entreprise=etablissement.entreprise,
            agents=[charge],
            etablissement=etablissement,
            type="visite",
            date=timezone.localdate() - timedelta(days=n + 1),
            objet="Visite",
        )
        aidees.append(etablissement.entreprise)
    demandeuse = EtablissementFactory(entreprise__denomination="Demandeuse").entreprise
    services.sollicitation_creer(
        commune=Commune.objects.get(code_insee="80021"), besoin=Besoin.INVESTIR, origine="formulaire", nom="Claire",
        email="claire@example.org", entreprise=demandeuse, consentement=True,
    )  # fmt: skip
    ailleurs = EtablissementFactory(
        entreprise__denomination="Lilloise", commune=Commune.objects.get(code_insee="59350")
    )
    services.interaction_enregistrer(
        auteur=charge, entreprise=ailleurs.entreprise, agents=[charge], etablissement=ailleurs, type="visite",
        date=timezone.localdate(), objet="Visite",
    )  # fmt: skip
    EtablissementFactory(entreprise__denomination="Jamais vue")
    client.force_login(charge)
    with django_assert_max_num_queries(40):
        page = client.get(f"/agents/territoires/epci/{amiens.siren}/").content.decode()
    assert "Entreprises du territoire accompagnées" in page
    assert all(e.denomination in page for e in aidees) and "Demandeuse" in page
    assert "Lilloise" not in page and "Jamais vue" not in page
    assert page.index("Demandeuse") < page.index("Aidée 0") < page.index("Aidée 2")
    assert f"/agents/crm/?epci={amiens.pk}" in page


def test_the_requests_of_the_territory_give_the_open_count_and_the_median_response_delay(charge, amiens):
    commune = Commune.objects.get(code_insee="80021")
    direction = Direction.objects.get(code="DAEN")
    lundi = timezone.make_aware(timezone.datetime(2026, 11, 2, 10, 0))  # a Monday
    for jours_reponse in [1, 3, 8, None, None]:
        s = Sollicitation.objects.create(
            commune=commune, besoin=Besoin.INVESTIR, nom="X", email="x@example.org", direction=direction, cree_le=lundi
        )
        if jours_reponse is not None:
            Sollicitation.objects.filter(pk=s.pk).update(
                statut=Sollicitation.Statut.REPONDUE,
                prise_en_charge_le=lundi,
                repondue_le=lundi + timedelta(days=jours_reponse),
            )
    Sollicitation.objects.create(
        commune=Commune.objects.get(code_insee="59350"), besoin=Besoin.INVESTIR, nom="Y", email="y@example.org",
        direction=direction, cree_le=lundi,
    )  # fmt: skip
    delais = delais_territoire(amiens, jours=3650)
    # 1, 3 and 8 calendar days after a Monday are 1, 3 and 6 working days: median 3.
    assert (delais.recues, delais.ouvertes, delais.repondues, delais.delai_reponse) == (5, 2, 3, 3)
    assert len(delais.plus_anciennes) == 2
