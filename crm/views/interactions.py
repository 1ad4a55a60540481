from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from crm import services
from crm.forms import (
    AVERTISSEMENT_NOTES,
    InteractionForm,
    TacheFormSet,
    TacheSimpleForm,
)
from crm.models import Entreprise, Interaction, Tache
from crm.selectors import (
    entreprise_detail,
    interactions_avec_details,
    interactions_de,
)
from crm.views.entreprises import PAR_PAGE, _page_entreprise
from portal.acces import agent_requis
from portal.formulaires import erreurs_vers_formulaire
from portal.permissions import peut_terminer_tache


def _interaction_form(request, entreprise: Entreprise, interaction: Interaction | None):
    initial = {} if interaction else {"date": timezone.localdate(), "agents": [request.user]}
    if interaction:
        initial = {"agents": list(interaction.agents.all())}
    form = InteractionForm(request.POST or None, instance=interaction, entreprise=entreprise, initial=initial)
    taches = TacheFormSet(request.POST or None, prefix="taches")
    if request.method == "POST" and form.is_valid() and taches.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                contacts = list(d["contacts"])
                nouveau = form.nouveau_contact()
                if nouveau:
                    nouveau["conserver_jusquau"] = services.date_fin_conservation(d["date"])
                    contacts.append(services.contact_creer(entreprise=entreprise, par=request.user, **nouveau))
                resultat = services.interaction_enregistrer(
                    auteur=request.user,
                    entreprise=entreprise,
                    interaction=interaction,
                    agents=list(d["agents"]),
                    contacts=contacts,
                    structures=list(d["structures"]),
                    taches=[
                        {"titre": t["titre"], "assignee": t["assignee"], "echeance": t["echeance"]}
                        for t in taches.cleaned_data
                        if t.get("titre")
                    ],
                    type=d["type"],
                    date=d["date"],
                    objet=d["objet"],
                    etablissement=d["etablissement"],
                    themes=d["themes"],
                    notes=d["notes"],
                )
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
        else:
            messages.success(request, "Interaction enregistrée.")
            return redirect(f"{entreprise.get_absolute_url()}#interaction-{resultat.pk}")
    return render(
        request,
        "crm/interaction_form.html",
        {
            "form": form,
            "taches": taches,
            "entreprise": entreprise,
            "interaction": interaction,
            "avertissement_notes": AVERTISSEMENT_NOTES,
        },
    )


@agent_requis()
def interaction_nouvelle(request, siren: str):
    entreprise = get_object_or_404(Entreprise, siren=siren)
    return _interaction_form(request, entreprise, None)


@agent_requis()
def interaction_modifier(request, pk: int):
    interaction = get_object_or_404(Interaction.objects.select_related("entreprise"), pk=pk)
    if interaction.auteur_id != request.user.pk:
        messages.error(request, "Seul l'auteur de cette interaction peut la modifier.")
        return redirect("crm_agents:interaction", pk=pk)
    return _interaction_form(request, interaction.entreprise, interaction)


@agent_requis()
def interaction(request, pk: int):
    interaction = get_object_or_404(interactions_avec_details().select_related("entreprise"), pk=pk)
    versions = interaction.history.select_related("history_user").order_by("-history_date")
    return render(request, "crm/interaction.html", {"interaction": interaction, "versions": versions})


@agent_requis()
def mes_interactions(request):
    page = Paginator(interactions_de(request.user), PAR_PAGE).get_page(request.GET.get("page"))
    taches = Tache.objects.ouvertes().filter(assignee=request.user).select_related("entreprise")[:50]
    return render(request, "crm/mes_interactions.html", {"page": page, "taches": taches})


@agent_requis()
@require_POST
def tache_nouvelle(request, siren: str):
    entreprise = get_object_or_404(entreprise_detail(siren))
    form = TacheSimpleForm(request.POST)
    if not form.is_valid():
        # The page again, with the form's errors next to its fields and what was typed.
        return _page_entreprise(request, entreprise, tache_form=form)
    services.tache_creer(entreprise=entreprise, cree_par=request.user, **form.cleaned_data)
    messages.success(request, "Tâche ajoutée.")
    return redirect(entreprise)


@agent_requis()
@require_POST
def tache_terminer(request, pk: int):
    tache = get_object_or_404(Tache.objects.select_related("entreprise", "assignee"), pk=pk)
    if not peut_terminer_tache(request.user, tache):
        raise PermissionDenied("Seule la personne à qui la tâche est confiée, ou sa direction, peut la terminer.")
    services.tache_terminer(tache=tache, par=request.user)
    messages.success(request, f"Tâche « {tache.titre} » terminée.")
    return redirect(
        request.POST.get("suivant") if request.POST.get("suivant", "").startswith("/agents/") else tache.entreprise
    )
