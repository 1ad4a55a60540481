"""Least privilege beyond the matrix: the no-role page, the download log, CRM rules by assignee and
direction, four eyes on large payments."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from portal.models import Direction, TelechargementAgent
from portal.roles import Role
from portal.tests.factories import AgentFactory

pytestmark = pytest.mark.django_db


def test_a_staff_account_without_role_reaches_nothing_but_a_page_saying_whom_to_ask(client):
    AgentFactory(roles=[Role.ADMINISTRATEUR], email="admin.portail@hautsdefrance.fr")
    client.force_login(AgentFactory(roles=[]))
    for url in ("/agents/", "/agents/crm/", "/agents/saf/", "/agents/instruction/", "/agents/territoires/"):
        reponse = client.get(url)
        assert reponse.status_code == 403, url
        contenu = reponse.content.decode()
        assert "pas encore de rôle" in contenu and "admin.portail@hautsdefrance.fr" in contenu


def test_every_staff_download_of_a_company_document_is_logged_and_readable_by_administrators(
    client, settings, tmp_path
):
    from aides.demandes.services import demande as services_demande
    from aides.demandes.tests.factories import DemandeFactory, piece_pour

    settings.MEDIA_ROOT = tmp_path
    brouillon = DemandeFactory()
    piece = piece_pour(brouillon)
    services_demande.demande_deposer(demande_id=brouillon.pk, par=brouillon.demandeur)
    instructeur = AgentFactory(roles=[Role.INSTRUCTEUR])
    client.force_login(instructeur)
    assert client.get(reverse("espace:piece", args=[piece.pk])).status_code == 200
    (ligne,) = TelechargementAgent.objects.all()
    assert (ligne.agent, ligne.objet, ligne.nom_fichier) == (instructeur, "pièce de demande", piece.nom_original)
    assert ligne.entreprise == brouillon.etablissement.entreprise.siren and ligne.adresse == "127.0.0.1"
    # The company's own downloads are not staff downloads.
    client.force_login(brouillon.demandeur)
    client.get(reverse("espace:piece", args=[piece.pk]))
    assert TelechargementAgent.objects.count() == 1
    # Administrators read the log in the admin, read-only; other agents do not.
    client.force_login(AgentFactory(roles=[Role.ADMINISTRATEUR], is_superuser=True))
    liste = client.get("/admin/portal/telechargementagent/")
    assert liste.status_code == 200 and piece.nom_original in liste.content.decode()
    assert client.get("/admin/portal/telechargementagent/add/").status_code == 403
    assert client.post(f"/admin/portal/telechargementagent/{ligne.pk}/delete/", {"post": "yes"}).status_code == 403
    assert TelechargementAgent.objects.count() == 1


def _sollicitation(direction):
    from crm.models import Sollicitation
    from territoires.models import Commune

    return Sollicitation.objects.create(
        nom="Claire", email="claire@pme.fr", commune=Commune.objects.get(code_insee="80021"), besoin="innover",
        direction=direction,
    )  # fmt: skip


def test_a_request_is_taken_by_its_assignee_or_their_direction_not_by_another_direction(client):
    daen, dipi = Direction.objects.get(code="DAEN"), Direction.objects.get(code="DIPI")
    titulaire = AgentFactory(roles=[Role.CHARGE_DE_MISSION], direction=daen)
    sollicitation = _sollicitation(daen)
    sollicitation.assignes.add(titulaire)
    url = reverse("crm_agents:sollicitation", args=[sollicitation.pk])
    client.force_login(AgentFactory(roles=[Role.CHARGE_DE_MISSION], direction=dipi))
    assert client.get(url).status_code == 200  # read: the CRM is shared
    assert client.post(url, {"action": "prendre"}).status_code == 403
    sollicitation.refresh_from_db()
    assert sollicitation.prise_en_charge_par is None
    client.force_login(AgentFactory(roles=[Role.CHARGE_DE_MISSION], direction=daen))  # a colleague
    assert client.post(url, {"action": "prendre"}).status_code == 302
    sollicitation.refresh_from_db()
    assert sollicitation.prise_en_charge_par is not None


def test_the_referent_is_changed_by_pilotage_or_within_the_current_referents_direction(client):
    from crm.tests.factories import EntrepriseFactory

    daen, dipi = Direction.objects.get(code="DAEN"), Direction.objects.get(code="DIPI")
    referent = AgentFactory(roles=[Role.CHARGE_DE_MISSION], direction=daen)
    autre = AgentFactory(roles=[Role.CHARGE_DE_MISSION], direction=dipi)
    entreprise = EntrepriseFactory(referent=referent)
    url = reverse("crm_agents:referent", args=[entreprise.siren])
    client.force_login(autre)
    assert client.post(url, {"referent": autre.pk, "motif": "Je reprends."}).status_code == 403
    entreprise.refresh_from_db()
    assert entreprise.referent == referent
    client.force_login(AgentFactory(roles=[Role.PILOTAGE], direction=dipi))
    client.post(url, {"referent": autre.pk, "motif": "Réorganisation."})
    entreprise.refresh_from_db()
    assert entreprise.referent == autre


def test_a_task_is_completed_by_its_assignee_or_their_direction(client):
    from datetime import date

    from crm.models import Tache
    from crm.tests.factories import EntrepriseFactory

    daen, dipi = Direction.objects.get(code="DAEN"), Direction.objects.get(code="DIPI")
    assignee = AgentFactory(roles=[Role.CHARGE_DE_MISSION], direction=daen)
    tache = Tache.objects.create(
        entreprise=EntrepriseFactory(), titre="Rappeler", assignee=assignee, echeance=date.today()
    )
    url = reverse("crm_agents:tache-terminer", args=[tache.pk])
    client.force_login(AgentFactory(roles=[Role.INSTRUCTEUR], direction=dipi))
    assert client.post(url).status_code == 403
    client.force_login(assignee)
    assert client.post(url).status_code == 302
    tache.refresh_from_db()
    assert tache.faite_le is not None


def _versement(montant: Decimal):
    from aides.conventions.services import convention as sc
    from aides.conventions.tests.factories import convention_notifiee

    convention = convention_notifiee(montant=Decimal("100000"))
    return convention, sc.versement_creer(
        convention_id=convention.pk, par=convention.gestionnaire, type="avance", montant=montant, pieces=[]
    )


def test_a_payment_above_the_threshold_is_controlled_and_mandated_by_two_different_agents(settings, tmp_path):
    from aides.conventions.services import convention as sc
    from aides.models import Versement

    settings.MEDIA_ROOT = tmp_path
    settings.VERSEMENT_SEUIL_DOUBLE_CONTROLE = 23000
    convention, versement = _versement(Decimal("30000"))
    assert versement.double_controle
    premier = convention.gestionnaire
    sc.versement_avancer(versement_id=versement.pk, par=premier)  # contrôlé
    with pytest.raises(ValidationError, match="un autre agent que celui qui l'a contrôlé"):
        sc.versement_avancer(versement_id=versement.pk, par=premier)
    second = AgentFactory(roles=[Role.GESTIONNAIRE_SAF])
    versement = sc.versement_avancer(versement_id=versement.pk, par=second)
    assert (versement.etat, versement.controle_par, versement.mandate_par) == (Versement.Etat.MANDATE, premier, second)
    # The database refuses it too, whatever writes the row.
    with pytest.raises(IntegrityError), transaction.atomic():
        Versement.objects.filter(pk=versement.pk).update(mandate_par=premier)


def test_a_payment_below_the_threshold_may_be_advanced_by_one_agent(settings, tmp_path):
    from aides.conventions.services import convention as sc
    from aides.models import Versement

    settings.MEDIA_ROOT = tmp_path
    convention, versement = _versement(Decimal("5000"))
    assert not versement.double_controle
    for _ in range(3):
        versement = sc.versement_avancer(versement_id=versement.pk, par=convention.gestionnaire)
    assert versement.etat == Versement.Etat.PAYE


def test_the_feder_service_lists_and_reads_only_feder_eligible_applications(client, settings, tmp_path):
    from aides.catalogue.tests.factories import DispositifFactory
    from aides.demandes.tests.factories import demande_deposee

    settings.MEDIA_ROOT = tmp_path
    feder = demande_deposee(dispositif=DispositifFactory(eligible_feder=True))
    autre = demande_deposee()
    client.force_login(AgentFactory(roles=[Role.SERVICE_FEDER]))
    page = client.get(reverse("aides_instruction:boite"))
    assert [d.pk for d in page.context["page"].object_list] == [feder.pk]
    assert client.get(reverse("aides_instruction:demande", args=[feder.pk])).status_code == 200
    assert client.get(reverse("aides_instruction:demande", args=[autre.pk])).status_code == 404
    client.force_login(AgentFactory(roles=[Role.SERVICE_FEDER, Role.INSTRUCTEUR]))
    assert len(client.get(reverse("aides_instruction:boite")).context["page"].object_list) == 2


def test_a_request_page_offers_its_actions_only_to_those_who_may_act(client):
    daen, dipi = Direction.objects.get(code="DAEN"), Direction.objects.get(code="DIPI")
    sollicitation = _sollicitation(daen)
    url = reverse("crm_agents:sollicitation", args=[sollicitation.pk])
    client.force_login(AgentFactory(roles=[Role.CHARGE_DE_MISSION], direction=dipi))
    page = client.get(url).content.decode()
    assert "Prendre en charge" not in page and "vous pouvez la lire" in page
    client.force_login(AgentFactory(roles=[Role.CHARGE_DE_MISSION], direction=daen))
    assert "Prendre en charge" in client.get(url).content.decode()
