from django.db.models import Q
from django.urls import reverse

from aides.conventions.actions import PERMISSION_SIGNATURE_REGION
from aides.conventions.models.convention import (
    ConventionAide,
    Etape,
)
from portal.models import User
from portal.roles import Role
from portal.services import notification_creer


def _contexte(convention: ConventionAide, **extra) -> dict:
    return {
        "convention": convention,
        "lien_espace": reverse("espace:convention", args=[convention.pk]),
        "lien_saf": reverse("aides_saf:convention", args=[convention.pk]),
        **extra,
    }


def destinataires_entreprise(convention: ConventionAide) -> list[User]:
    """Every verified member of the beneficiary company, at least the applicant: the one place that
    says who, on the company's side, hears about its convention."""
    utilisateurs = list(
        User.objects.filter(
            adhesions__entreprise_id=convention.etablissement.entreprise_id,
            adhesions__statut="verifie",
            adhesions__email_verifie_le__isnull=False,
            is_active=True,
        ).distinct()
    )
    demandeur = convention.demande.demandeur
    if demandeur not in utilisateurs:
        utilisateurs.append(demandeur)
    return utilisateurs


def signataires_region(convention: ConventionAide) -> list[User]:
    """The agents allowed to sign for the Région (permission aides.signer_convention_region), those of
    the convention's direction first; all of them when none is of that direction."""
    app, code = PERMISSION_SIGNATURE_REGION.split(".")
    habilites = (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename=code, groups__permissions__content_type__app_label=app)
            | Q(user_permissions__codename=code, user_permissions__content_type__app_label=app)
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
    habilites = [u for u in habilites if not u.is_superuser or u.direction_id]  # not the technical admin
    de_la_direction = [u for u in habilites if u.direction_id == convention.direction_id]
    return de_la_direction or habilites


def prochain_signataire(convention: ConventionAide) -> tuple[str, list[User]] | None:
    """Who signs next in the circuit: (« le bénéficiaire » | « la Région », the people); None when no
    signature is awaited."""
    if convention.etape == Etape.ENVOYEE:
        return "le bénéficiaire", destinataires_entreprise(convention)
    if convention.etape == Etape.SIGNEE_BENEFICIAIRE:
        return "la Région", signataires_region(convention)
    return None


def destinataires_saf(convention: ConventionAide) -> list[User]:
    """The convention's SAF manager, else the SAF managers of its direction."""
    if convention.gestionnaire_id and convention.gestionnaire.is_active:
        return [convention.gestionnaire]
    return list(
        User.objects.agents()
        .filter(groups__name=Role.GESTIONNAIRE_SAF.value, direction_id=convention.direction_id)
        .distinct()
    )


def _notifier(destinataires, gabarit: str, convention: ConventionAide, **extra) -> None:
    for destinataire in destinataires:
        notification_creer(gabarit=gabarit, destinataire=destinataire, contexte=_contexte(convention, **extra))
