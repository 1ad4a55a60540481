"""Invitations, referrals both ways, reminders and the company's timeline."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from crm.models import Sollicitation
from crm.tests.factories import EntrepriseFactory, StructureFactory
from crm.timeline import chronologie
from partenaires import services
from partenaires.models import Adhesion, Invitation, Orientation
from portal.models import Notification
from portal.roles import Role

from .factories import MembreFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def jeton_envoye(invitation: Invitation) -> str:
    corps = Notification.objects.get(gabarit="partenaires_invitation", destinataire=invitation.email).corps_texte
    return corps.split("/partenaires/invitation/")[1].split("/")[0]


@pytest.fixture
def bge():
    return StructureFactory(nom="BGE Picardie", sigle="BGE", email="contact@bge.fr")


def test_an_agent_invites_a_partner_who_creates_an_account_with_the_link_once(client, agent, bge, mot_de_passe):
    invitation = services.invitation_creer(email="Marie@BGE.fr", structure=bge, par=agent)
    jeton = jeton_envoye(invitation)

    reponse = client.post(
        reverse("partenaires:invitation", args=[jeton]),
        {"prenom": "Marie", "nom": "Durand", "mot_de_passe": mot_de_passe, "confirmation": mot_de_passe},
    )

    adhesion = Adhesion.objects.get(utilisateur__email="marie@bge.fr")
    assert adhesion.structure == bge and adhesion.utilisateur.a_role(Role.PARTENAIRE)
    assert not adhesion.utilisateur.is_staff
    # The second factor is compulsory: the new account is sent to the enrolment first.
    assert reponse.status_code == 302
    assert client.get(reverse("partenaires:tableau"))["Location"].startswith("/connexion/second-facteur/activer/")
    client.logout()
    assert client.get(reverse("partenaires:invitation", args=[jeton])).status_code == 404
    with pytest.raises(ValidationError, match="déjà servi"):
        services.invitation_accepter(jeton=jeton, prenom="X", nom="Y", mot_de_passe=mot_de_passe)


def test_a_forged_or_expired_invitation_link_is_refused(client, agent, bge, mot_de_passe):
    invitation = services.invitation_creer(email="paul@bge.fr", structure=bge, par=agent)
    jeton = jeton_envoye(invitation)
    assert client.get(reverse("partenaires:invitation", args=[jeton[:-2] + "xx"])).status_code == 404
    with time_machine.travel(timezone_now() + timedelta(days=8)):
        with pytest.raises(ValidationError, match="expiré"):
            services.invitation_accepter(jeton=jeton, prenom="P", nom="Q", mot_de_passe=mot_de_passe)


def timezone_now():
    from django.utils import timezone

    return timezone.now()


def test_only_an_agent_invites_and_the_staff_page_is_closed_to_partners(client, bge, agent):
    membre = MembreFactory(structure=bge).utilisateur
    with pytest.raises(ValidationError):
        services.invitation_creer(email="x@bge.fr", structure=bge, par=membre)
    client.force_login(membre)
    assert client.get(reverse("partenaires_agents:inviter")).status_code == 403
    client.force_login(agent)
    reponse = client.post(reverse("partenaires_agents:inviter"), {"email": "y@bge.fr", "structure": bge.pk})
    assert reponse.status_code == 302 and Invitation.objects.filter(email="y@bge.fr").exists()


def test_a_partner_cannot_turn_its_second_factor_off(client, bge, mot_de_passe):
    from portal.double_facteur import second_facteur_desactiver
    from portal.tests.second_facteur import code_totp

    membre = MembreFactory(structure=bge).utilisateur
    client.force_login(membre)
    requete = type("R", (), {"user": membre, "session": client.session})()
    with pytest.raises(ValidationError, match="obligatoire"):
        second_facteur_desactiver(request=requete, mot_de_passe=mot_de_passe, code=code_totp(membre))


def test_a_referral_emails_the_members_who_take_and_answer_it_and_it_lands_on_the_timeline(creer_demande, agent, bge):
    entreprise = EntrepriseFactory()
    membres = [MembreFactory(structure=bge).utilisateur for _ in range(2)]
    MembreFactory(structure=StructureFactory(nom="Autre"))
    sollicitation = creer_demande(entreprise=entreprise)

    orientation = services.sollicitation_reorienter(
        sollicitation=sollicitation, par=agent, structure=bge, motif="Création d'entreprise"
    )

    sollicitation.refresh_from_db()
    assert sollicitation.statut == Sollicitation.Statut.REORIENTEE
    assert set(
        Notification.objects.filter(gabarit="partenaires_orientation_nouvelle").values_list("destinataire", flat=True)
    ) == {m.email for m in membres}
    services.orientation_prendre(orientation=orientation, par=membres[0])
    with pytest.raises(ValidationError, match="déjà été prise"):
        services.orientation_prendre(orientation=orientation, par=membres[1])
    services.orientation_repondre(orientation=orientation, par=membres[0], statut="traitee", note="RDV fixé le 12.")

    orientation.refresh_from_db()
    assert orientation.statut == Orientation.Statut.TRAITEE and orientation.repondue_par == membres[0]
    assert Notification.objects.filter(gabarit="partenaires_orientation_reponse", destinataire=agent.email).exists()
    evenements = [e for e in chronologie(entreprise) if e.genre == "orientation"]
    assert [e.libelle for e in evenements] == ["Réponse du partenaire : traitée", "Réorientée vers un partenaire"]
    assert evenements[0].resume == "RDV fixé le 12."


def test_not_for_us_needs_a_note_and_an_outsider_cannot_answer(creer_demande, agent, bge):
    orientation = services.orientation_creer(sollicitation=creer_demande(), structure=bge, par=agent)
    membre = MembreFactory(structure=bge).utilisateur
    with pytest.raises(ValidationError):
        services.orientation_repondre(orientation=orientation, par=membre, statut="pas_pour_nous", note=" ")
    with pytest.raises(ValidationError, match="membre de la structure"):
        services.orientation_repondre(
            orientation=orientation, par=MembreFactory().utilisateur, statut="traitee", note="x"
        )
    services.orientation_repondre(orientation=orientation, par=membre, statut="pas_pour_nous", note="Hors champ.")
    assert Orientation.objects.get().statut == "pas_pour_nous"


def test_a_reminder_fires_after_two_working_days_once_per_day_and_not_once_taken(creer_demande, agent, bge):
    membre = MembreFactory(structure=bge).utilisateur
    with time_machine.travel(datetime(2026, 3, 6, 10, 0, tzinfo=PARIS), tick=False):  # a Friday
        orientation = services.orientation_creer(sollicitation=creer_demande(), structure=bge, par=agent)

    def relances():
        return Notification.objects.filter(gabarit="partenaires_orientation_relance", destinataire=membre.email).count()

    with time_machine.travel(datetime(2026, 3, 9, 11, 0, tzinfo=PARIS), tick=False):  # Monday: 1 working day
        assert services.orientations_relancer() == 0
    with time_machine.travel(datetime(2026, 3, 10, 11, 0, tzinfo=PARIS), tick=False):  # Tuesday: 2
        assert services.orientations_relancer() == 1
        assert services.orientations_relancer() == 0  # claimed for the day
        call_command("relancer_orientations")
    assert relances() == 1
    with time_machine.travel(datetime(2026, 3, 11, 11, 0, tzinfo=PARIS), tick=False):
        assert services.orientations_relancer() == 1
    services.orientation_prendre(orientation=orientation, par=membre)
    with time_machine.travel(datetime(2026, 3, 12, 11, 0, tzinfo=PARIS), tick=False):
        assert services.orientations_relancer() == 0
    assert relances() == 2


def test_a_partner_prescribes_a_request_which_is_routed_and_followed(client, bge):
    membre = MembreFactory(structure=bge).utilisateur
    client.force_login(membre)
    reponse = client.post(
        reverse("partenaires:prescription-nouvelle"),
        {
            "siret": "123 456 789 00012",
            "nom": "Jean Dupont",
            "email": "jean@exemple.fr",
            "commune": "80021",
            "besoin": "investir",
            "accord": "on",
        },
    )
    sollicitation = Sollicitation.objects.get()
    assert sollicitation.origine == Sollicitation.Origine.PARTENAIRE
    assert sollicitation.prescription.structure == bge
    assert reponse["Location"] == reverse("partenaires:prescription", args=[sollicitation.prescription.pk])
    assert "Nouvelle" in client.get(reponse["Location"]).content.decode()
