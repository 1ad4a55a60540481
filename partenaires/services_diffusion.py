"""A company's consent to be named as helped by the Région: given and withdrawn by the administrator
of its account from its space, effective at once (the EPCI and partner pages read it on each view)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from aides.models import Membre
from crm.models import Entreprise
from portal.models import User

from .models import AccordDiffusion

Portee = AccordDiffusion.Portee


def _verifier_administrateur(entreprise: Entreprise, par: User) -> None:
    """Only a verified administrator of the company's account speaks for it (never an agent)."""
    if par.is_staff or not Membre.objects.administrateurs().filter(utilisateur=par, entreprise=entreprise).exists():
        raise PermissionDenied("Seul un administrateur vérifié du compte de l'entreprise donne ou retire cet accord.")


def _portee_verifier(portee: str) -> None:
    if portee not in Portee.values:
        raise ValidationError({"portee": "Choisissez où l'entreprise accepte d'être citée."})


def accords_entreprise(entreprise: Entreprise) -> dict[str, AccordDiffusion | None]:
    """Each scope with its record (given, withdrawn) or None when never given."""
    accords = {
        a.portee: a
        for a in AccordDiffusion.objects.filter(entreprise=entreprise).select_related("accorde_par", "retire_par")
    }
    return {portee: accords.get(portee) for portee in Portee.values}


@transaction.atomic
def accord_diffusion_donner(*, entreprise: Entreprise, portee: str, par: User) -> AccordDiffusion:
    _verifier_administrateur(entreprise, par)
    _portee_verifier(portee)
    accord = AccordDiffusion.objects.select_for_update().filter(entreprise=entreprise, portee=portee).first()
    if accord is not None and accord.en_vigueur:
        raise ValidationError("L'entreprise a déjà donné cet accord.")
    accord = accord or AccordDiffusion(entreprise=entreprise, portee=portee)
    accord.accorde_le, accord.accorde_par = timezone.now(), par
    accord.retire_le, accord.retire_par = None, None
    accord.full_clean()
    accord._history_user = par
    accord.save()
    return accord


@transaction.atomic
def accord_diffusion_retirer(*, entreprise: Entreprise, portee: str, par: User) -> AccordDiffusion:
    _verifier_administrateur(entreprise, par)
    _portee_verifier(portee)
    accord = AccordDiffusion.objects.select_for_update().filter(entreprise=entreprise, portee=portee).first()
    if accord is None or not accord.en_vigueur:
        raise ValidationError("L'entreprise n'a pas donné cet accord : il n'y a rien à retirer.")
    accord.retire_le, accord.retire_par = timezone.now(), par
    accord.full_clean()
    accord._history_user = par
    accord.save()
    return accord
