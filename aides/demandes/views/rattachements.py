"""The staff queue « rattachements à vérifier » (/agents/rattachements/): who asks to act for which
company, the evidence they uploaded and the SIRENE data of the company side by side; accept or
refuse with a motive emailed to the requester."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from aides.demandes.forms.comptes import DecisionRattachementForm
from aides.demandes.models.espace import Membre
from aides.demandes.services import comptes as services_comptes
from aides.demandes.services.comptes import ROLES_RATTACHEMENT
from portal.acces import agent_requis
from portal.documents import document_reponse
from portal.formulaires import erreurs_vers_formulaire
from portal.journal import telechargement_journaliser
from portal.tableau import SLOT_RATTACHEMENTS, AFaire


def _demande(pk: int) -> Membre:
    return get_object_or_404(
        Membre.objects.select_related(
            "utilisateur", "entreprise", "etablissement__commune", "entreprise__referent", "verifie_par"
        ),
        pk=pk,
    )


@agent_requis(*ROLES_RATTACHEMENT)
def liste(request):
    qs = (
        Membre.objects.a_verifier()
        .select_related("utilisateur", "entreprise", "etablissement")
        .order_by("cree_le", "pk")
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "aides/agents/rattachements.html", {"page": page})


@agent_requis(*ROLES_RATTACHEMENT)
def detail(request, pk: int):
    membre = _demande(pk)
    form = DecisionRattachementForm(request.POST or None)
    statut = 200
    if request.method == "POST" and form.is_valid():
        accepter = request.POST.get("action") == "accepter"
        try:
            services_comptes.rattachement_decider(
                membre_id=membre.pk,
                par=request.user,
                accepter=accepter,
                motif=form.cleaned_data["motif"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
            statut = 400
        else:
            messages.success(
                request,
                f"Rattachement de {membre.utilisateur.email} à {membre.entreprise.denomination} "
                f"{'accepté' if accepter else 'refusé'} ; le demandeur est prévenu par courriel.",
            )
            return redirect("aides_agents:rattachements")
    autres = (
        Membre.objects.filter(entreprise_id=membre.entreprise_id)
        .exclude(pk=membre.pk)
        .exclude(statut=Membre.Statut.RETIRE)
        .select_related("utilisateur")
        .order_by("cree_le")[:20]
    )
    return render(
        request,
        "aides/agents/rattachement.html",
        {
            "membre": membre,
            "entreprise": membre.entreprise,
            "etablissement": membre.etablissement,
            "autres": autres,
            "premier": not Membre.objects.verifies().filter(entreprise_id=membre.entreprise_id).exists(),
            "form": form,
        },
        status=statut,
    )


@agent_requis(*ROLES_RATTACHEMENT)
def justificatif(request, pk: int):
    membre = _demande(pk)
    if membre.justificatif is None:
        raise Http404
    telechargement_journaliser(
        request,
        objet="justificatif de rattachement",
        objet_id=membre.pk,
        nom_fichier=membre.justificatif_nom or "justificatif",
        siren=membre.entreprise.siren,
    )
    return document_reponse(request, membre.justificatif, nom=membre.justificatif_nom or "justificatif")


def bloc_tableau(user) -> list:
    """The dashboard's « Rattachements à vérifier » (portal.tableau), for the roles that verify them."""

    if not services_comptes.peut_verifier_rattachements(user):
        return []
    nombre = Membre.objects.a_verifier().count()
    return [
        AFaire(
            code=SLOT_RATTACHEMENTS,
            libelle="Rattachements à vérifier",
            nombre=nombre,
            url=reverse("aides_agents:rattachements"),
            detail="personnes qui demandent à agir pour une entreprise",
            urgent=nombre > 0,
        )
    ]
