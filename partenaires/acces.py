"""Who sees what under /partenaires/: a partner only its structure, an EPCI user only its territory.

Every view taking an id goes through a getter here: an object of another structure or territory,
or an outsider, gets 404.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404

from crm.models import Sollicitation
from territoires.models import ConventionTerritoriale

from .models import Adhesion, Orientation, Prescription


def adhesion_de(user) -> Adhesion | None:
    if not (user.is_authenticated and user.is_active):
        return None
    try:
        return user.partenariat
    except Adhesion.DoesNotExist:
        return None


def membre_requis(genre: str | None = None) -> Callable:
    """View decorator: anonymous → login; not a partner/EPCI member (or not of `genre`) → 404.

    The view receives `request.adhesion`. A Région agent is not a member: the space is not theirs.
    """

    def decorateur(vue: Callable) -> Callable:
        @wraps(vue)
        def enveloppe(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            adhesion = adhesion_de(request.user)
            if adhesion is None:
                raise Http404("Espace réservé aux partenaires et aux EPCI.")
            if genre == "structure" and adhesion.structure_id is None:
                raise Http404("Espace réservé aux structures partenaires.")
            if genre == "epci" and adhesion.epci_id is None:
                raise Http404("Espace réservé aux EPCI.")
            request.adhesion = adhesion
            return vue(request, *args, **kwargs)

        return enveloppe

    return decorateur


def orientation_pour(adhesion: Adhesion, pk: int) -> Orientation:
    return get_object_or_404(
        Orientation.objects.select_related("sollicitation__commune", "structure", "prise_par", "repondue_par"),
        pk=pk,
        structure_id=adhesion.structure_id or -1,
    )


def prescription_pour(adhesion: Adhesion, pk: int) -> Prescription:
    return get_object_or_404(
        Prescription.objects.select_related("sollicitation__commune", "prescripteur"),
        pk=pk,
        structure_id=adhesion.structure_id or -1,
    )


def sollicitations_du_territoire(adhesion: Adhesion):
    """Requests whose commune lies in the EPCI user's territory (nothing for a partner)."""
    if adhesion.epci_id is None:
        return Sollicitation.objects.none()
    return Sollicitation.objects.filter(commune__epci_id=adhesion.epci_id)


def convention_epci_pour(adhesion: Adhesion, pk: int) -> ConventionTerritoriale:
    """A convention of the EPCI user's own territory (another EPCI's, or a partner: 404)."""
    return get_object_or_404(ConventionTerritoriale, pk=pk, epci_id=adhesion.epci_id or -1)
