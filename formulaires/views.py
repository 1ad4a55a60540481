"""The builder (/agents/formulaires/): every agent reads forms and previews them; instructeurs and
pilotage build and publish them. Plain HTML forms, one action per button: keyboard and no-JS."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from portal.acces import agent_requis
from portal.formulaires import erreurs_vers_formulaire
from portal.permissions import exiger, peut

from . import services
from .forms import ChampForm, FormulaireForm, SectionForm
from .models import Champ, Formulaire, Section, TypeChamp
from .moteur import FormulaireDynamique
from .schema import schema_du_brouillon


def formulaire_ou_404(request, pk: int, *, action: str = "lire") -> Formulaire:
    exiger(request.user, "formulaire", action, introuvable=action == "lire")
    return get_object_or_404(Formulaire, pk=pk)


def section_ou_404(formulaire: Formulaire, pk: int) -> Section:
    return get_object_or_404(Section, pk=pk, formulaire=formulaire)


def champ_ou_404(formulaire: Formulaire, pk: int) -> Champ:
    return get_object_or_404(Champ.objects.select_related("section", "parent"), pk=pk, section__formulaire=formulaire)


@agent_requis()
def liste(request):
    exiger(request.user, "formulaire", "lire", introuvable=False)
    formulaires = Formulaire.objects.annotate(nb_versions=Count("versions")).order_by("nom")
    page = Paginator(formulaires, 25).get_page(request.GET.get("page"))
    form = FormulaireForm(request.POST or None)
    if request.method == "POST":
        exiger(request.user, "formulaire", "modifier", introuvable=False)
        if form.is_valid():
            formulaire = services.formulaire_creer(
                nom=form.cleaned_data["nom"],
                description=form.cleaned_data["description"],
                depuis=_version_par_defaut(),
            )
            messages.success(request, "Formulaire créé avec les questions communes à toutes les demandes.")
            return redirect("formulaires:detail", formulaire.pk)
    return render(
        request,
        "formulaires/liste.html",
        {"page": page, "form": form, "peut_modifier": peut(request.user, "formulaire", "modifier")},
    )


def _version_par_defaut():
    """The default form's current version, if there is one (its questions start every new form)."""
    defaut = Formulaire.objects.filter(code="defaut").first()
    return defaut.version_courante() if defaut else None


@agent_requis()
def detail(request, pk: int):
    formulaire = formulaire_ou_404(request, pk)
    sections = list(formulaire.sections.prefetch_related("champs__sous_champs"))
    questions = [c for s in sections for c in s.champs.all() if not c.parent_id]
    return render(
        request,
        "formulaires/detail.html",
        {
            "formulaire": formulaire,
            "sections": sections,
            "section_form": SectionForm(questions=questions),
            "champ_form": ChampForm(),
            "versions": formulaire.versions.select_related("publiee_par")[:20],
            "peut_modifier": peut(request.user, "formulaire", "modifier"),
            "TypeChamp": TypeChamp,
        },
    )


@agent_requis()
def apercu(request, pk: int):
    """The draft as a company will see it; sending it checks the answers and saves nothing."""
    formulaire = formulaire_ou_404(request, pk)
    schema = schema_du_brouillon(formulaire)
    dynamique = FormulaireDynamique(
        schema, request.POST if request.method == "POST" else None, request.FILES or None, exiger_requis=True
    )
    verifie = request.method == "POST" and dynamique.is_valid()
    return render(
        request,
        "formulaires/apercu.html",
        {
            "formulaire": formulaire,
            "dynamique": dynamique,
            "verifie": verifie,
            "blocage": verifie and dynamique.blocage(),
        },
    )


@agent_requis()
@require_POST
def publier(request, pk: int):
    formulaire = formulaire_ou_404(request, pk, action="modifier")
    try:
        version = services.formulaire_publier(formulaire=formulaire, par=request.user)
    except ValidationError as erreur:
        for message in erreur.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            f"Version {version.numero} publiée : les nouvelles demandes l'utilisent ; celles déjà commencées "
            "gardent leur version.",
        )
    return redirect("formulaires:detail", formulaire.pk)


@agent_requis()
def section(request, pk: int, section_pk: int | None = None):
    """Add (no section_pk) or change a section; POST « action » = enregistrer, supprimer, haut, bas."""
    formulaire = formulaire_ou_404(request, pk, action="modifier")
    cible = section_ou_404(formulaire, section_pk) if section_pk else None
    precedentes = Champ.objects.filter(section__formulaire=formulaire, parent=None)
    if cible is not None:
        precedentes = precedentes.filter(section__ordre__lt=cible.ordre)
    initial = {n: getattr(cible, n) for n in SectionForm.base_fields} if cible else None
    form = SectionForm(request.POST or None, initial=initial, questions=list(precedentes))
    if request.method == "POST":
        action = request.POST.get("action", "enregistrer")
        try:
            if action in ("haut", "bas") and cible:
                services.element_deplacer(element=cible, vers=action)
                return redirect(f"{formulaire_url(formulaire)}#section-{cible.pk}")
            if action == "supprimer" and cible:
                services.section_supprimer(section=cible)
                messages.success(request, f"Section « {cible.titre} » retirée.")
                return redirect("formulaires:detail", formulaire.pk)
            if form.is_valid():
                cible = services.section_enregistrer(formulaire=formulaire, section=cible, **form.cleaned_data)
                messages.success(request, f"Section « {cible.titre} » enregistrée.")
                return redirect(f"{formulaire_url(formulaire)}#section-{cible.pk}")
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
    statut = 400 if request.method == "POST" else 200
    contexte = {"formulaire": formulaire, "section": cible, "form": form}
    return render(request, "formulaires/section.html", contexte, status=statut)


def formulaire_url(formulaire: Formulaire) -> str:
    return reverse("formulaires:detail", args=[formulaire.pk])


@agent_requis()
def champ(request, pk: int, section_pk: int, champ_pk: int | None = None):
    """Add a question to a section (or a column to a block, `?bloc=<id>`), or change one."""
    formulaire = formulaire_ou_404(request, pk, action="modifier")
    sa_section = section_ou_404(formulaire, section_pk)
    cible = champ_ou_404(formulaire, champ_pk) if champ_pk else None
    bloc_id = request.POST.get("bloc") or request.GET.get("bloc")
    parent = cible.parent if cible else (champ_ou_404(formulaire, int(bloc_id)) if bloc_id else None)
    if parent is not None and parent.type != TypeChamp.BLOC:
        parent = None
    form = ChampForm(request.POST or None, initial=ChampForm.initial_de(cible) if cible else None, colonne=bool(parent))
    if request.method == "POST":
        action = request.POST.get("action", "enregistrer")
        try:
            if action in ("haut", "bas") and cible:
                services.element_deplacer(element=cible, vers=action)
                return redirect(f"{formulaire_url(formulaire)}#champ-{cible.pk}")
            if action == "supprimer" and cible:
                services.champ_supprimer(champ=cible)
                messages.success(request, f"Question « {cible.libelle} » retirée.")
                return redirect(f"{formulaire_url(formulaire)}#section-{sa_section.pk}")
            if form.is_valid():
                cible = services.champ_enregistrer(section=sa_section, champ=cible, parent=parent, **form.valeurs())
                messages.success(request, f"Question « {cible.libelle} » enregistrée.")
                return redirect(f"{formulaire_url(formulaire)}#champ-{cible.pk}")
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
    contexte = {"formulaire": formulaire, "section": sa_section, "champ": cible, "parent": parent, "form": form}
    return render(request, "formulaires/champ.html", contexte, status=400 if request.method == "POST" else 200)
