"""The company's document safe (/espace/coffre/): its verified members see and add documents,
reused by every application; staff who read applications may download them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from aides.demandes.acces import coffre_visible, document_coffre_visible, entreprise_requise
from aides.demandes.documents import telechargement_verifie
from aides.demandes.forms.coffre import CoffreForm
from aides.demandes.services.coffre import coffre_deposer
from formulaires.models import DocumentCoffre
from portal.formulaires import erreurs_vers_formulaire


@entreprise_requise()
def coffre(request):
    membre = request.membre
    if not membre.est_verifie:
        raise Http404
    form = CoffreForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not membre.peut_deposer:
            raise PermissionDenied("Votre rôle de lecteur permet de consulter le coffre, pas d'y déposer.")
        if form.is_valid():
            try:
                document = coffre_deposer(
                    entreprise_id=membre.entreprise_id,
                    type=form.cleaned_data["type"],
                    verifie=form.cleaned_data["fichier"],
                    par=request.user,
                    valable_jusqu_au=form.cleaned_data["valable_jusqu_au"],
                )
            except ValidationError as erreur:
                erreurs_vers_formulaire(form, erreur)
            else:
                messages.success(request, f"{document.get_type_display()} ajouté au coffre de l'entreprise.")
                return redirect("espace:coffre")
    documents = list(coffre_visible(membre).select_related("depose_par")[:200])
    aujourd_hui = timezone.localdate()
    par_type = []
    for code, libelle in DocumentCoffre.choices:
        if code:
            du_type = [d for d in documents if d.type == code]
            par_type.append((libelle, du_type, next((d for d in du_type if d.est_valide(aujourd_hui)), None)))
    contexte = {"par_type": par_type, "form": form, "aujourd_hui": aujourd_hui, "membre": membre}
    return render(request, "aides/espace/coffre.html", contexte, status=400 if form.errors else 200)


def coffre_document(request, pk: int):
    """Download a document of the safe (its company's verified members; staff who read applications)."""
    return telechargement_verifie(
        request, pk, obtenir=document_coffre_visible, objet="document du coffre", siren=lambda d: d.entreprise.siren
    )
