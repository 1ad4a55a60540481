"""Who signs next is said on the SAF page; the Région's signatory is told when a convention waits for
them; the company is told when the Région has signed (issue #13, item 11)."""

from html import unescape

import pytest
from django.urls import reverse

from aides.conventions.services import convention as sc
from aides.conventions.tests.factories import convention_envoyee, signer_region
from portal.models import Direction, Notification
from portal.roles import Role
from portal.tests.factories import MOT_DE_PASSE, AgentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def page(client, convention) -> str:
    return unescape(client.get(reverse("aides_saf:convention", args=[convention.pk])).content.decode())


def test_the_signature_circuit_names_who_signs_next_and_emails_them(client):
    signataire = AgentFactory(
        roles=[Role.PILOTAGE], direction=Direction.objects.get(code="DAEN"), first_name="Léa", last_name="Signe"
    )
    convention = convention_envoyee()
    gestionnaire = convention.gestionnaire
    client.force_login(gestionnaire)
    demandeur = convention.demande.demandeur
    texte = page(client, convention)
    assert "Prochaine signature : le bénéficiaire" in texte and demandeur.email in texte

    version = sc.version_courante(convention)
    sc.convention_signer_beneficiaire(
        convention_id=convention.pk, par=demandeur, version_id=version.pk, mot_de_passe=MOT_DE_PASSE
    )
    attend = Notification.objects.filter(gabarit="convention_a_signer_region")
    assert set(attend.values_list("destinataire", flat=True)) == {signataire.email}
    assert convention.numero in attend.get().sujet
    texte = page(client, convention)
    assert "Prochaine signature : la Région" in texte and "Léa Signe" in texte

    signer_region(convention, signataire, version)
    contresignee = Notification.objects.filter(gabarit="convention_signee_region")
    assert demandeur.email in set(contresignee.values_list("destinataire", flat=True))
    assert "Prochaine signature" not in page(client, convention)


def test_without_any_signatory_the_page_says_who_must_be_given_the_right(client):
    from django.contrib.auth.models import Group

    Group.objects.get(name=Role.PILOTAGE.value).user_set.clear()
    convention = convention_envoyee()
    sc.convention_signer_beneficiaire(
        convention_id=convention.pk,
        par=convention.demande.demandeur,
        version_id=sc.version_courante(convention).pk,
        mot_de_passe=MOT_DE_PASSE,
    )
    client.force_login(convention.gestionnaire)
    texte = page(client, convention)
    assert "aucun agent n'a le droit de signer au nom de la Région" in texte
