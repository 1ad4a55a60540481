"""The satisfaction loop: one survey per request and per decision, signed link, answered once."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from aides.models import Statut
from crm.models import Sollicitation
from crm.timeline import chronologie
from pilotage import statistiques_sources
from pilotage.models import Enquete, MembrePanel, ReponseEnquete
from pilotage.satisfaction import enquetes_envoyer, jeton_enquete
from portal.models import Notification
from portal.roles import Role

from . import donnees as d

pytestmark = pytest.mark.django_db


@pytest.fixture
def occasions():
    maintenant = timezone.now()
    etab = d.etablissement()
    repondue = d.sollicitation(
        recue=maintenant - timedelta(days=3), statut=Sollicitation.Statut.REPONDUE, repondue=maintenant,
        entreprise=etab.entreprise,
    )  # fmt: skip
    d.sollicitation(recue=maintenant, statut=Sollicitation.Statut.PRISE_EN_CHARGE)  # not answered yet
    decidee = d.demande(
        dispositif=d.DispositifFactory(), etablissement=etab, statut=Statut.ACCORDEE,
        depose=maintenant - timedelta(days=20), decide=maintenant, montant_accorde=Decimal("1000"),
    )  # fmt: skip
    return repondue, decidee


def test_one_survey_per_answered_request_and_per_decision_even_when_the_sweep_runs_twice(occasions):
    repondue, decidee = occasions
    assert enquetes_envoyer() == 2
    assert enquetes_envoyer() == 0
    assert Enquete.objects.get(sollicitation=repondue).email == "camille@example.org"
    assert Enquete.objects.get(demande=decidee).email == decidee.demandeur.email
    mails = Notification.objects.filter(gabarit="pilotage_enquete")
    assert mails.count() == 2
    assert "/enquete/" in mails.first().corps_texte
    with pytest.raises(IntegrityError), transaction.atomic():
        Enquete.objects.create(
            occasion="sollicitation", sollicitation=repondue, direction=d.direction(), email="x@y.fr"
        )


def test_the_company_answers_once_through_the_signed_link_without_logging_in(client, occasions):
    repondue, _ = occasions
    enquetes_envoyer()
    enquete = Enquete.objects.get(sollicitation=repondue)
    url = reverse("enquete", args=[jeton_enquete(enquete)])
    assert client.get(url).status_code == 200
    assert client.post(url, {"utilite": "4"}).status_code == 400  # second question missing: nothing lost
    reponse = client.post(
        url,
        {"utilite": "4", "simplicite": "2", "commentaire": "Rapide", "panel": "on", "panel_nom": "Camille Test"},
    )
    assert "Votre avis est enregistré" in reponse.content.decode()
    assert "déjà répondu" in client.post(url, {"utilite": "1", "simplicite": "1"}).content.decode()
    r = ReponseEnquete.objects.get()
    assert (r.utilite, r.simplicite, r.commentaire) == (4, 2, "Rapide")
    assert MembrePanel.objects.get().email == "camille@example.org"
    with pytest.raises(IntegrityError), transaction.atomic():
        ReponseEnquete.objects.create(enquete=enquete, utilite=1, simplicite=1)


def test_an_altered_link_is_refused(client, occasions):
    enquetes_envoyer()
    jeton = jeton_enquete(Enquete.objects.first())
    assert client.get(reverse("enquete", args=[jeton[:-2] + "xx"])).status_code == 404


def test_the_answer_shows_on_the_request_and_the_company_timeline(client, creer_agent, occasions):
    repondue, _ = occasions
    enquetes_envoyer()
    ReponseEnquete.objects.create(enquete=Enquete.objects.get(sollicitation=repondue), utilite=3, simplicite=4)
    client.force_login(creer_agent(Role.CHARGE_DE_MISSION))
    page = client.get(reverse("crm_agents:sollicitation", args=[repondue.pk])).content.decode()
    assert "Avis de l'entreprise" in page and "Plutôt oui" in page
    assert any(e.genre == "enquete" for e in chronologie(repondue.entreprise))


def test_aggregates_by_direction_and_the_panel_export(client, creer_agent, occasions):
    enquetes_envoyer()
    for enquete, (u, s) in zip(Enquete.objects.order_by("pk"), [(4, 4), (2, 3)], strict=True):
        ReponseEnquete.objects.create(enquete=enquete, utilite=u, simplicite=s)
    MembrePanel.objects.create(nom="=HYPERLINK(1)", email="chef@example.org")
    (ligne,) = statistiques_sources.satisfaction(par="direction")
    assert (ligne["envoyees"], ligne["reponses"], ligne["utilite"], ligne["simplicite"]) == (2, 2, 3, 3.5)
    assert ligne["part_satisfaits"] == 50.0
    par_occasion = {x["cle"]: x["reponses"] for x in statistiques_sources.satisfaction(par="occasion")}
    assert par_occasion == {"decision": 1, "sollicitation": 1}
    client.force_login(creer_agent(Role.PILOTAGE))
    classeur = load_workbook(BytesIO(client.get(reverse("pilotage:panel")).content))
    (nom,) = [ligne[0] for ligne in classeur.active.iter_rows(min_row=2)]
    assert nom.value == "=HYPERLINK(1)" and nom.data_type == "s"  # kept as typed, stored as text, never a formula
