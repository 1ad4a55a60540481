"""The company space's page « Être citée par la Région »: every verified member reads the company's
consent; its account's administrator gives or withdraws it (partenaires.services_diffusion)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from aides.demandes.acces import entreprise_requise

from . import services_diffusion as services


@entreprise_requise()
def diffusion(request):
    membre = request.membre
    if not membre.est_verifie:
        raise Http404
    if request.method == "POST":
        action = {"donner": services.accord_diffusion_donner, "retirer": services.accord_diffusion_retirer}.get(
            request.POST.get("action")
        )
        if action is None:
            return render(request, "partenaires/espace_diffusion.html", _contexte(membre), status=400)
        try:  # PermissionDenied (not an administrator) becomes the French 403 page
            action(entreprise=membre.entreprise, portee=request.POST.get("portee", ""), par=request.user)
        except ValidationError as erreur:
            messages.error(request, " ".join(erreur.messages))
        else:
            messages.success(request, "Votre choix est enregistré : il s'applique dès maintenant.")
        return redirect("espace_partenaires:diffusion")
    return render(request, "partenaires/espace_diffusion.html", _contexte(membre))


def _contexte(membre) -> dict:
    accords = services.accords_entreprise(membre.entreprise)
    return {
        "membre": membre,
        "entreprise": membre.entreprise,
        "lignes": [(portee, services.Portee(portee).label, accord) for portee, accord in accords.items()],
    }
