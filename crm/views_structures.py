"""Staff pages on partners and operators: what each direction funds them for, and their indicators.

Every agent reads them; pilotage enters the fundings and objectives on the structure's page.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from portal.acces import agent_requis
from portal.formulaires import erreurs_vers_formulaire
from portal.models import Direction
from portal.roles import Role

from . import structures as services
from .models import FinancementStructure, Indicateur, Structure
from .referentiels import valider_sans_balise
from .structures import (
    annees_financees,
    structure_financements,
    structures_financees,
    structures_plusieurs_directions,
)
from .structures import (
    indicateurs_non_atteints as indicateurs_non_atteints_lister,
)

PAR_PAGE = 25


class FiltreForm(forms.Form):
    annee = forms.TypedChoiceField(label="Année", coerce=int, required=False)
    direction = forms.ModelChoiceField(
        label="Direction", queryset=Direction.objects.order_by("code"), required=False, empty_label="Toutes"
    )

    def __init__(self, *args, annees: list[int], avec_direction: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].choices = [(a, str(a)) for a in annees]
        if not avec_direction:
            del self.fields["direction"]


def _filtres(request, *, avec_direction: bool = True):
    # A form, not a FilterSet: the year and the direction are parameters of the sums and counts the
    # selectors annotate (structures_financees), not conditions a FilterSet could add to a queryset.
    annees = annees_financees()
    form = FiltreForm(request.GET or None, annees=annees, avec_direction=avec_direction)
    criteres = form.cleaned_data if form.is_bound and form.is_valid() else {}
    annee = criteres.get("annee") or annees[0]
    if not form.is_bound:
        form = FiltreForm(initial={"annee": annee}, annees=annees, avec_direction=avec_direction)
    parametres = request.GET.copy()
    parametres.pop("page", None)
    return form, annee, criteres.get("direction"), parametres.urlencode()


def _contexte(request, **contexte) -> dict:
    peut_modifier = request.user.a_role(Role.PILOTAGE)
    choix = Structure.objects.filter(active=True).only("pk", "nom").order_by("nom") if peut_modifier else []
    return {"peut_modifier": peut_modifier, "structures_choix": choix, **contexte}


@agent_requis()
def structures(request):
    if request.GET.get("structure", "").isdigit():  # « Saisir un financement pour… »: go to its page
        structure = get_object_or_404(Structure, pk=int(request.GET["structure"]))
        return redirect("crm_agents:structure", pk=structure.pk)
    form, annee, direction, parametres = _filtres(request)
    page = Paginator(structures_financees(annee=annee, direction=direction), PAR_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "crm/structures/liste.html",
        _contexte(request, form=form, annee=annee, direction=direction, page=page, parametres=parametres),
    )


@agent_requis()
def plusieurs_directions(request):
    form, annee, _, parametres = _filtres(request, avec_direction=False)
    page = Paginator(structures_plusieurs_directions(annee=annee), PAR_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "crm/structures/plusieurs_directions.html",
        _contexte(request, form=form, annee=annee, page=page, parametres=parametres),
    )


@agent_requis()
def indicateurs_non_atteints(request):
    form, annee, direction, parametres = _filtres(request)
    page = Paginator(indicateurs_non_atteints_lister(annee=annee, direction=direction), PAR_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "crm/structures/indicateurs.html",
        _contexte(request, form=form, annee=annee, direction=direction, page=page, parametres=parametres),
    )


# --- One structure, and the data entry by pilotage ----------------------------------------------------


class FinancementForm(forms.Form):
    direction = forms.ModelChoiceField(label="Direction", queryset=Direction.objects.order_by("code"))
    annee = forms.IntegerField(label="Année", min_value=2000, max_value=2100)
    montant = forms.DecimalField(label="Montant (€)", min_value=0, max_digits=12, decimal_places=2)
    objet = forms.CharField(label="Objet du financement", max_length=250, validators=[valider_sans_balise])

    prefix = "financement"


class IndicateurForm(forms.Form):
    libelle = forms.CharField(label="Objectif", max_length=250, validators=[valider_sans_balise])
    cible = forms.DecimalField(label="Valeur cible", min_value=0, max_digits=12, decimal_places=2)
    realise = forms.DecimalField(
        label="Valeur réalisée",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text="Vide : pas encore mesuré.",
    )
    unite = forms.CharField(label="Unité", max_length=50, required=False, help_text="Ex. : entreprises accompagnées.")


class RealiseForm(forms.Form):
    realise = forms.DecimalField(label="Valeur réalisée", min_value=0, max_digits=12, decimal_places=2, required=False)


def _page_structure(request, structure: Structure, **formulaires):
    peut_modifier = request.user.a_role(Role.PILOTAGE)
    annees = structure_financements(structure)
    if peut_modifier:
        for annee in annees:
            for financement in annee["financements"]:
                cle = f"indicateur-{financement.pk}"
                financement.indicateur_form = formulaires.get(cle) or IndicateurForm(prefix=cle)
    return render(
        request,
        "crm/structures/detail.html",
        {
            "peut_modifier": peut_modifier,
            "structure": structure,
            "annees": annees,
            "financement_form": formulaires.get("financement") or FinancementForm(),
            "realise_erreur": formulaires.get("realise"),
            "formulaire_en_erreur": bool(formulaires),
        },
    )


@agent_requis()
def structure(request, pk: int):
    return _page_structure(request, get_object_or_404(Structure.objects.select_related("epci"), pk=pk))


@agent_requis(Role.PILOTAGE)
@require_POST
def financement_ajouter(request, pk: int):
    structure = get_object_or_404(Structure.objects.select_related("epci"), pk=pk)
    form = FinancementForm(request.POST)
    if form.is_valid():
        try:
            services.financement_creer(structure=structure, **form.cleaned_data)
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
        else:
            messages.success(request, "Financement enregistré : ajoutez-lui ses objectifs chiffrés.")
            return redirect("crm_agents:structure", pk=structure.pk)
    return _page_structure(request, structure, financement=form)


@agent_requis(Role.PILOTAGE)
@require_POST
def financement_supprimer(request, pk: int):
    financement = get_object_or_404(FinancementStructure, pk=pk)
    services.financement_supprimer(financement=financement)
    messages.success(request, f"Financement « {financement.objet} » ({financement.annee}) retiré.")
    return redirect("crm_agents:structure", pk=financement.structure_id)


@agent_requis(Role.PILOTAGE)
@require_POST
def indicateur_ajouter(request, pk: int):
    financement = get_object_or_404(FinancementStructure.objects.select_related("structure__epci"), pk=pk)
    cle = f"indicateur-{financement.pk}"
    form = IndicateurForm(request.POST, prefix=cle)
    if form.is_valid():
        try:
            services.indicateur_creer(financement=financement, **form.cleaned_data)
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
        else:
            messages.success(request, "Objectif ajouté.")
            return redirect(f"/agents/crm/structures/{financement.structure_id}/#financement-{financement.pk}")
    return _page_structure(request, financement.structure, **{cle: form})


@agent_requis(Role.PILOTAGE)
@require_POST
def indicateur_mesurer(request, pk: int):
    indicateur = get_object_or_404(Indicateur.objects.select_related("financement__structure__epci"), pk=pk)
    form = RealiseForm(request.POST)
    if form.is_valid():
        services.indicateur_mesurer(indicateur=indicateur, realise=form.cleaned_data["realise"])
        messages.success(request, f"Valeur réalisée de « {indicateur.libelle} » enregistrée.")
        return redirect(
            f"/agents/crm/structures/{indicateur.financement.structure_id}/#financement-{indicateur.financement_id}"
        )
    erreur = {
        "indicateur": indicateur.pk,
        "message": " ".join(form.errors.get("realise", [])),
        "valeur": request.POST.get("realise", ""),
    }
    return _page_structure(request, indicateur.financement.structure, realise=erreur)
