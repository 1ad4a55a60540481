"""Granted applications and their conventions, at any step of the circuit."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from aides.conventions.models.convention import ConventionAide
from aides.conventions.services import convention as sc
from aides.demandes.models.demande import Statut
from aides.demandes.services import demande as services
from aides.demandes.tests.factories import demande_en_instruction
from portal.roles import Role
from portal.tests.factories import MOT_DE_PASSE as MOT
from portal.tests.factories import AgentFactory


def instructeur_et_gestionnaire():
    return AgentFactory(roles=[Role.INSTRUCTEUR]), AgentFactory(roles=[Role.GESTIONNAIRE_SAF])


def demande_accordee(*, montant: Decimal = Decimal("20000"), instructeur=None, **champs):
    instructeur = instructeur or AgentFactory(roles=[Role.INSTRUCTEUR])
    champs.setdefault("montant_demande", montant)
    champs.setdefault("lignes", [("Investissement", montant * 2)])
    demande = demande_en_instruction(instructeur, **champs)
    demande = services.demande_decider(
        demande_id=demande.pk,
        version=demande.version,
        par=instructeur,
        decision=Statut.ACCORDEE,
        motif="Projet solide.",
        montant_accorde=montant,
        # Never in the future, even when a test travels back in time.
        date_commission=min(date(2026, 11, 20), timezone.localdate()),
        numero_deliberation="20261120-42",
    )
    return demande


def convention_creee(*, gestionnaire=None, montant: Decimal = Decimal("20000"), **options) -> ConventionAide:
    gestionnaire = gestionnaire or AgentFactory(roles=[Role.GESTIONNAIRE_SAF])
    demande_champs = options.pop("demande", {})
    demande = demande_accordee(montant=montant, **demande_champs)
    return sc.convention_creer(demande_id=demande.pk, par=gestionnaire, **options)


def pdf_genere(convention: ConventionAide):
    """Ask for a version and render it synchronously (the Travail's function, not through a worker)."""
    from aides.conventions.pdf import convention_pdf_generer

    return convention_pdf_generer(convention_id=convention.pk, par_id=convention.gestionnaire_id)


def convention_envoyee(**options) -> ConventionAide:
    convention = convention_creee(**options)
    pdf_genere(convention)
    return sc.convention_envoyer(convention_id=convention.pk, par=convention.gestionnaire)


def signer_region(convention: ConventionAide, signataire, version):
    """The Région's signature, with the signatory's password and the current code of their device."""
    from conftest import code_totp

    return sc.convention_signer_region(
        convention_id=convention.pk,
        par=signataire,
        version_id=version.pk,
        mot_de_passe=MOT,
        code_otp=code_totp(signataire),
    )


def convention_notifiee(**options) -> ConventionAide:
    convention = convention_envoyee(**options)
    version = sc.version_courante(convention)
    sc.convention_signer_beneficiaire(
        convention_id=convention.pk, par=convention.demande.demandeur, version_id=version.pk, mot_de_passe=MOT
    )
    signataire = AgentFactory(roles=[Role.PILOTAGE])
    signer_region(convention, signataire, version)
    return sc.convention_notifier(convention_id=convention.pk, par=convention.gestionnaire)


from aides.conventions.demo import conventions_en_masse  # noqa: E402,F401  (shared with the bench)
