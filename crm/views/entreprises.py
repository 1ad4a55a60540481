import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from crm import services
from crm.filters import EtablissementFilterSet
from crm.forms import (
    ContactForm,
    EntrepriseForm,
    EtablissementForm,
    ReferentForm,
    TacheSimpleForm,
)
from crm.models import Contact, Entreprise, Etablissement
from crm.selectors import (
    PaginatorPlafonne,
    entreprise_detail,
    entreprise_fiche,
    etablissements_liste,
    personne_donnees,
    recherche_tolerante,
)
from crm.timeline import chronologie
from portal.acces import agent_requis
from portal.formulaires import erreurs_vers_formulaire
from portal.permissions import exiger, peut_changer_referent
from portal.tableurs import csv_reponse

PAR_PAGE = 25


EXPORT_MAX = 50_000


def _recherche(request) -> EtablissementFilterSet:
    return EtablissementFilterSet(request.GET, queryset=etablissements_liste(), request=request)


@agent_requis()
def recherche(request):
    filtres = _recherche(request)
    with recherche_tolerante():  # get_page() runs the page's queries: the ids, then the rows
        page = PaginatorPlafonne(filtres.qs, PAR_PAGE).get_page(request.GET.get("page"))
    parametres = request.GET.copy()
    parametres.pop("page", None)
    return render(
        request,
        "crm/recherche.html",
        {
            "form": filtres.form,
            "page": page,
            "parametres": parametres.urlencode(),
            "suggestions": filtres.form.fields["commune"].suggestions,
        },
    )


@agent_requis()
def export_csv(request):
    qs = _recherche(request).qs
    entete = ["SIRET", "SIREN", "Dénomination", "Enseigne", "Adresse", "Code postal", "Commune", "EPCI", "NAF",
              "Siège", "Actif"]  # fmt: skip

    def lignes():
        with recherche_tolerante():
            for e in qs[:EXPORT_MAX].iterator(chunk_size=2000):
                commune = e.commune
                yield (
                    e.siret, e.entreprise.siren, e.entreprise.denomination, e.enseigne, e.adresse,
                    e.code_postal, commune.nom if commune else "", commune.epci.nom if commune else "",
                    e.naf, e.siege, e.actif,
                )  # fmt: skip

    return csv_reponse(f"crm-etablissements-{timezone.localdate():%Y%m%d}.csv", entete, lignes())


@agent_requis()
def entreprise_nouvelle(request):
    form = EntrepriseForm(request.POST or None)
    if request.method == "POST":
        siren = "".join(request.POST.get("siren", "").split())
        existante = Entreprise.objects.filter(siren=siren).first()
        if existante:
            messages.info(request, f"Cette entreprise existe déjà (SIREN {siren}) : voici sa fiche.")
            return redirect(existante)
        if form.is_valid():
            try:
                entreprise = services.entreprise_creer(par=request.user, **form.cleaned_data)
            except ValidationError as erreur:
                erreurs_vers_formulaire(form, erreur)
            else:
                messages.success(request, "Entreprise créée.")
                return redirect(entreprise)
    return render(request, "crm/entreprise_form.html", {"form": form})


HISTORIQUE_PAR_PAGE = 30


# The kinds of event the company timeline can be narrowed to (`?genre=`), in the order offered.
GENRES_EVENEMENTS = {
    "interaction": "Interactions (visites, appels…)",
    "sollicitation": "Demandes « Être contacté »",
    "demande": "Demandes d'aide",
    "convention": "Conventions d'aide",
    "versement": "Versements",
    "revue": "Revues de projets",
}


def _page_entreprise(request, entreprise: Entreprise, *, tache_form: TacheSimpleForm | None = None):
    """The company page; `tache_form` is a rejected task form to show again with its errors.

    `?genre=interaction` (or any kind present) narrows the timeline to one kind of event, so that a
    company with hundreds of convention steps still shows its visits on the first screen."""
    tous = chronologie(entreprise)
    presents = {e.genre for e in tous}
    genres = [(g, libelle) for g, libelle in GENRES_EVENEMENTS.items() if g in presents]
    genres += [(g, g.capitalize()) for g in sorted(presents - set(GENRES_EVENEMENTS))]
    # Not a FilterSet: the timeline is a list merged in Python from several apps' sources.
    genre = request.GET.get("genre", "")
    if genre not in presents:
        genre = ""
    evenements = [e for e in tous if e.genre == genre] if genre else tous
    historique = Paginator(evenements, HISTORIQUE_PAR_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "crm/entreprise.html",
        {
            "entreprise": entreprise,
            "evenements": historique,
            "genres": genres,
            "genre": genre,
            "referent_form": ReferentForm(initial={"referent": entreprise.referent}),
            "tache_form": tache_form or TacheSimpleForm(),
            **entreprise_fiche(entreprise),
        },
    )


@agent_requis()
def entreprise(request, siren: str):
    return _page_entreprise(request, get_object_or_404(entreprise_detail(siren)))


@agent_requis()
@require_POST
def referent_changer(request, siren: str):
    entreprise = get_object_or_404(Entreprise.objects.select_related("referent"), siren=siren)
    if not peut_changer_referent(request.user, entreprise):
        raise PermissionDenied(
            "Le référent se change par le pilotage ou dans la direction du référent actuel : demandez-le à l'un d'eux."
        )
    form = ReferentForm(request.POST)
    if form.is_valid():
        try:
            services.referent_changer(
                entreprise=entreprise,
                nouveau=form.cleaned_data["referent"],
                par=request.user,
                motif=form.cleaned_data["motif"],
            )
            messages.success(request, "Référent enregistré.")
        except ValidationError as erreur:
            messages.error(request, " ".join(erreur.messages))
    else:
        messages.error(request, "Choix de référent invalide.")
    return redirect(entreprise)


@agent_requis()
def etablissement_nouveau(request, siren: str):
    entreprise = get_object_or_404(Entreprise, siren=siren)
    form = EtablissementForm(request.POST or None)
    if request.method == "POST":
        siret = "".join(request.POST.get("siret", "").split())
        existant = Etablissement.objects.select_related("entreprise").filter(siret=siret).first()
        if existant:
            messages.info(request, f"Cet établissement existe déjà (SIRET {siret}) : voici la fiche de son entreprise.")
            return redirect(f"{existant.entreprise.get_absolute_url()}#etablissement-{existant.siret}")
        if form.is_valid():
            try:
                services.etablissement_creer(entreprise=entreprise, **form.cleaned_data)
            except ValidationError as erreur:
                erreurs_vers_formulaire(form, erreur)
            else:
                messages.success(request, "Établissement ajouté.")
                return redirect(entreprise)
    return render(
        request,
        "crm/etablissement_form.html",
        {"form": form, "entreprise": entreprise, "suggestions": form.fields["commune"].suggestions},
    )


@agent_requis()
def contact_nouveau(request, siren: str):
    entreprise = get_object_or_404(Entreprise, siren=siren)
    form = ContactForm(request.POST or None)
    doublons = []
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        quand_meme = d.pop("creer_quand_meme")
        doublons = [] if quand_meme else list(services.contacts_doublons(email=d["email"]))
        if doublons:
            form.add_error("email", "Un contact a déjà cette adresse : vérifiez ci-dessous avant d'en créer un second.")
        else:
            try:
                services.contact_creer(entreprise=entreprise, par=request.user, **d)
            except ValidationError as erreur:
                erreurs_vers_formulaire(form, erreur)
            else:
                messages.success(request, "Contact ajouté.")
                return redirect(entreprise)
    return render(request, "crm/contact_form.html", {"form": form, "entreprise": entreprise, "doublons": doublons})


@agent_requis()
def personne_export(request):
    """Access request (GDPR): everything held on a person, found by email, as JSON."""
    exiger(request.user, "donnees_personnelles", "exporter", introuvable=False)
    email = request.GET.get("email", "").strip()
    if not email:
        return render(request, "crm/personne_export.html", {})
    reponse = JsonResponse(personne_donnees(email), json_dumps_params={"ensure_ascii": False, "indent": 2})
    reponse["Content-Disposition"] = 'attachment; filename="donnees-personnelles.json"'
    return reponse


@agent_requis()
def contact_export(request, pk: int):
    exiger(request.user, "donnees_personnelles", "exporter", introuvable=False)
    contact = get_object_or_404(Contact.objects.actifs(), pk=pk)
    if not contact.email:
        donnees = {"contact_sans_courriel": str(contact)}
        return HttpResponse(json.dumps(donnees, ensure_ascii=False), content_type="application/json")
    return redirect(f"{reverse('crm_agents:personne-export')}?{urlencode({'email': contact.email})}")
