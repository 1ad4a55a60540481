"""Who may open what in the company space: one access-checked getter per object type.

A person acts for the « current » company of the space (kept in the session, checked on every
request against their attachments). Through a verified attachment they see the company's files,
conventions and members; through an attachment still to verify, only what they created
themselves (their own drafts and deposits). Another company's id, or an object they may not see,
is a 404. Staff read every deposited file; writing in the instruction needs the instructeur (or
administrateur) role.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from aides.conventions.models.convention import ConventionAide
from aides.demandes.models.espace import Membre


def conventions_visibles(membre: Membre) -> QuerySet[ConventionAide]:
    if not membre.est_verifie:
        return ConventionAide.objects.none()
    return ConventionAide.objects.de_l_entreprise(membre.entreprise_id)


def convention_de_l_entreprise(request, pk: int) -> ConventionAide:
    return get_object_or_404(
        conventions_visibles(request.membre).select_related("dispositif", "etablissement__entreprise"), pk=pk
    )
