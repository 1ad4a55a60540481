"""Who may change conventions and assignments. Every agent reads them."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from portal.roles import Role

from .models import EPCI, Affectation, ConventionTerritoriale, RevueDeProjets


def _a_role(user, role: Role) -> bool:
    """`user.a_role(role)` with the user's groups read once per request (pages ask several times)."""
    return user.a_role(role)


def peut_modifier_conventions(user, epci: EPCI) -> bool:
    """Pilotage, or a chargé de mission assigned to this EPCI."""
    if not user.est_agent:
        return False
    if _a_role(user, Role.PILOTAGE):
        return True
    return _a_role(user, Role.CHARGE_DE_MISSION) and Affectation.objects.filter(agent=user, epci=epci).exists()


def peut_modifier_affectations(user) -> bool:
    return user.est_agent and _a_role(user, Role.PILOTAGE)


def convention_obtenir(request, pk: int, *, pour_modifier: bool = False) -> ConventionTerritoriale:
    """The convention `pk` for an agent (404 when unknown); 403 when asked to modify without the right."""
    convention = get_object_or_404(ConventionTerritoriale.objects.select_related("epci").defer("epci__contour"), pk=pk)
    if pour_modifier and not peut_modifier_conventions(request.user, convention.epci):
        raise PermissionDenied(
            "Seuls le pilotage et les chargés de mission affectés à cet EPCI modifient ses conventions."
        )
    return convention


def peut_creer_revue(user, epcis=None) -> bool:
    """Pilotage, or a chargé de mission assigned to one of `epcis` (to any EPCI when not given yet)."""
    if not user.est_agent:
        return False
    if _a_role(user, Role.PILOTAGE):
        return True
    if not _a_role(user, Role.CHARGE_DE_MISSION):
        return False
    affectations = Affectation.objects.filter(agent=user)
    if epcis is not None:
        affectations = affectations.filter(epci__in=epcis)
    return affectations.exists()


def peut_modifier_revue(user, revue) -> bool:
    """Pilotage, the chargés de mission assigned to one of its EPCI, and its Région participants."""
    if not user.est_agent:
        return False
    if _a_role(user, Role.PILOTAGE):
        return True
    if not hasattr(revue, "_modifiable_par"):
        revue._modifiable_par = {}
    if user.pk not in revue._modifiable_par:
        revue._modifiable_par[user.pk] = (
            _a_role(user, Role.CHARGE_DE_MISSION)
            and Affectation.objects.filter(agent=user, epci__revues=revue).exists()
        ) or revue.participants_internes.filter(pk=user.pk).exists()
    return revue._modifiable_par[user.pk]


def revue_obtenir(request, pk: int, *, pour_modifier: bool = False):
    """The review `pk` for an agent (404 when unknown); 403 when asked to modify without the right."""

    revue = get_object_or_404(RevueDeProjets, pk=pk)
    if pour_modifier and not peut_modifier_revue(request.user, revue):
        raise PermissionDenied(
            "Seuls le pilotage, les chargés de mission affectés à ses EPCI et ses participants de la Région "
            "modifient cette revue de projets."
        )
    return revue
