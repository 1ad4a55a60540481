"""Payment requests at once (issue 17): exactly one effect, a clear message to the other."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from aides.conventions.models.paiement import DemandeVersement
from aides.conventions.models.versement import Versement
from aides.conventions.services import paiement as sp
from aides.conventions.tests.factories_paiement import avance_deposee, convention_a_payer, ligne, pdf
from conftest import en_parallele
from portal.roles import Role
from portal.tests.factories import AgentFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media", "territoires_recharges")]


def test_two_agents_accepting_the_same_request_make_one_payment():
    convention, membre = convention_a_payer()
    demande = avance_deposee(convention, membre)
    agents = [convention.gestionnaire, AgentFactory(roles=[Role.GESTIONNAIRE_SAF])]
    resultats = en_parallele(
        *[lambda a=a: sp.demande_versement_accepter(demande_versement_id=demande.pk, par=a) for a in agents]
    )
    acceptees = [r for r in resultats if isinstance(r, DemandeVersement)]
    erreurs = [r for r in resultats if isinstance(r, ValidationError)]
    assert len(acceptees) == 1 and len(erreurs) == 1, resultats
    assert "déjà « acceptée, versement enregistré »" in erreurs[0].messages[0]
    assert "votre décision n'a pas été enregistrée" in erreurs[0].messages[0]
    assert Versement.objects.filter(convention=convention).count() == 1
    convention.refresh_from_db()
    assert convention.total_versements == Decimal("6000.00")


def test_two_requests_at_once_above_the_remaining_amount_one_is_deposited():
    """5,000 already recorded by hand; plan 50 / 50: the advance (5,000 left on its share) and an
    instalment (30,000 HT × 50 % = 15,000) are each within their plan, together above the 15,000 left."""
    from aides.conventions.services import convention as sc

    convention, membre = convention_a_payer()
    sc.versement_creer(
        convention_id=convention.pk, par=convention.gestionnaire, type="acompte", montant=Decimal("5000")
    )
    convention.echeancier = [
        {"type": "avance", "pourcentage": 50, "condition": "à la notification"},
        {"type": "acompte", "pourcentage": 50, "condition": "sur factures"},
    ]
    convention.save(update_fields=["echeancier"])
    brouillons = []
    for tranche, montants in ((0, None), (1, ("10000", "10000", "10000"))):
        demande = sp.demande_versement_creer(
            convention_id=convention.pk, tranche=tranche, par=membre.utilisateur, membre=membre
        )
        if montants:
            sp.demande_versement_enregistrer(
                demande_versement_id=demande.pk,
                par=membre.utilisateur,
                membre=membre,
                lignes=[ligne(convention, i, m) for i, m in enumerate(montants, start=1)],
                pieces=[pdf()],
            )
        brouillons.append(demande)
    resultats = en_parallele(
        *[
            lambda d=d: sp.demande_versement_deposer(
                demande_versement_id=d.pk, par=membre.utilisateur, membre=membre, certifie=True
            )
            for d in brouillons
        ]
    )
    deposees = [r for r in resultats if isinstance(r, DemandeVersement)]
    erreurs = [r for r in resultats if isinstance(r, ValidationError)]
    assert len(deposees) == 1 and len(erreurs) == 1, resultats
    assert "dépasse ce qui reste à verser" in erreurs[0].messages[0]
    assert "Attendez sa décision" in erreurs[0].messages[0]
    assert DemandeVersement.objects.filter(etat="deposee").count() == 1
    assert DemandeVersement.objects.filter(etat="brouillon").count() == 1  # nothing lost
