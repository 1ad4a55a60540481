"""Staff pages of the CRM (/agents/crm/) and the public « Être contacté » form (/contact/)."""

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.acces import agent_requis
from portal.limites import limite_requise
from portal.permissions import exiger, peut_changer_referent, peut_terminer_tache, peut_traiter_sollicitation
from portal.tableurs import csv_reponse

from . import services
from .actions import actions_sollicitation
from .forms import (
    AVERTISSEMENT_NOTES,
    ClotureForm,
    ContactForm,
    EntrepriseForm,
    EtablissementForm,
    InteractionForm,
    RechercheForm,
    ReferentForm,
    ReorientationForm,
    ReponseForm,
    SollicitationAgentForm,
    SollicitationPubliqueProtegeeForm,
    TacheFormSet,
    TacheSimpleForm,
)
from .models import Contact, Entreprise, Etablissement, Interaction, Sollicitation, Tache
from .selectors import (
    PaginatorPlafonne,
    boite_sollicitations,
    delais_direction,
    entreprise_detail,
    entreprise_fiche,
    etablissements_rechercher,
    interactions_avec_details,
    interactions_de,
    personne_donnees,
    recherche_tolerante,
    voit_toutes_directions,
)
from .timeline import chronologie

PAR_PAGE = 25
EXPORT_MAX = 50_000


def _erreurs_service(form, erreur: ValidationError) -> None:
    if hasattr(erreur, "error_dict"):
        for champ, liste in erreur.error_dict.items():
            form.add_error(champ if champ in form.fields else None, liste)
    else:
        form.add_error(None, erreur.messages)


# --- Search and export --------------------------------------------------------------------------


def _recherche(request):
    form = RechercheForm(request.GET or None)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        qs = etablissements_rechercher(
            texte=d["q"],
            commune=d["commune"],
            epci=d["epci"],
            naf=d["naf"],
            accompagnement=d["accompagnement"],
            direction=request.user.direction,
            actifs=d["actifs"],
        )
    elif form.is_bound:
        qs = Etablissement.objects.none()
    else:
        qs = etablissements_rechercher(direction=request.user.direction)
    return form, qs


@agent_requis()
def recherche(request):
    form, qs = _recherche(request)
    with recherche_tolerante():  # get_page() runs the page's queries: the ids, then the rows
        page = PaginatorPlafonne(qs, PAR_PAGE).get_page(request.GET.get("page"))
    parametres = request.GET.copy()
    parametres.pop("page", None)
    return render(
        request,
        "crm/recherche.html",
        {
            "form": form,
            "page": page,
            "parametres": parametres.urlencode(),
            "suggestions": form.fields["commune"].suggestions,
        },
    )


@agent_requis()
def export_csv(request):
    form, qs = _recherche(request)
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


# --- Companies, establishments, contacts ----------------------------------------------------------


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
                _erreurs_service(form, erreur)
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
                _erreurs_service(form, erreur)
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
                _erreurs_service(form, erreur)
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


# --- Interactions and tasks -------------------------------------------------------------------------


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
            _erreurs_service(form, erreur)
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


# --- Requests (sollicitations) -------------------------------------------------------------------------


@agent_requis()
def sollicitations(request):
    onglet = request.GET.get("onglet", "miennes")
    if onglet not in {"miennes", "direction", "toutes"}:
        onglet = "miennes"
    statut = request.GET.get("statut", "ouvertes")
    if statut not in {"ouvertes", ""} | set(Sollicitation.Statut.values):
        statut = "ouvertes"
    retard = request.GET.get("retard") == "1"
    qs = boite_sollicitations(agent=request.user, onglet=onglet, statut=statut, retard=retard)
    page = Paginator(qs, PAR_PAGE).get_page(request.GET.get("page"))
    toutes = voit_toutes_directions(request.user)
    return render(
        request,
        "crm/sollicitations.html",
        {
            "page": page,
            "onglet": onglet,
            "statut": statut,
            "statuts": [("ouvertes", "À traiter (nouvelles et prises en charge)"), ("", "Toutes")]
            + Sollicitation.Statut.choices,
            "retard": retard,
            "toutes_directions": toutes,
            "parametres": urlencode({"onglet": onglet, "statut": statut, **({"retard": "1"} if retard else {})}),
            "delais": delais_direction(request.user.direction, toutes=toutes),
        },
    )


def _reorienter(**arguments):
    from partenaires.services import sollicitation_reorienter

    return sollicitation_reorienter(**arguments)


@agent_requis()
def sollicitation(request, pk: int):
    sollicitation = get_object_or_404(
        Sollicitation.objects.select_related(
            "commune__epci", "direction", "entreprise", "prise_en_charge_par", "reorientee_vers_direction",
            "reorientee_vers_structure",
        ).prefetch_related("assignes"),
        pk=pk,
    )  # fmt: skip
    formulaires = {"reponse": ReponseForm(), "reorientation": ReorientationForm(), "cloture": ClotureForm()}
    actions = {
        "repondre": ("reponse", ReponseForm, services.sollicitation_repondre, "Réponse enregistrée."),
        # To a partner: a referral its members are emailed and answer (partenaires.services).
        "reorienter": ("reorientation", ReorientationForm, _reorienter, "Demande réorientée."),
        "clore": ("cloture", ClotureForm, services.sollicitation_clore, "Demande close."),
    }
    action = request.POST.get("action") if request.method == "POST" else None
    if action is not None and not peut_traiter_sollicitation(request.user, sollicitation):
        raise PermissionDenied(
            "Cette demande est traitée par la personne ou la direction à qui elle est adressée : "
            "vous pouvez la lire, pas la prendre, y répondre ni la clore."
        )
    if action == "prendre":
        try:
            services.sollicitation_prendre_en_charge(sollicitation=sollicitation, par=request.user)
        except ValidationError as erreur:
            messages.error(request, " ".join(erreur.messages))
        else:
            messages.success(request, "Demande prise en charge : le demandeur en est informé par courriel.")
        return redirect("crm_agents:sollicitation", pk=pk)
    if action in actions:
        cle, classe, service, succes = actions[action]
        form = formulaires[cle] = classe(request.POST)
        if form.is_valid():
            try:
                service(sollicitation=sollicitation, par=request.user, **form.cleaned_data)
            except ValidationError as erreur:
                if not sollicitation.est_ouverte:  # a stale page: the request was already answered or closed
                    messages.error(request, " ".join(erreur.messages))
                    return redirect("crm_agents:sollicitation", pk=pk)
                _erreurs_service(form, erreur)  # shown next to the form, what was typed kept
            else:
                messages.success(request, succes)
                return redirect("crm_agents:sollicitation", pk=pk)
    return render(
        request,
        "crm/sollicitation.html",
        {
            "sollicitation": sollicitation,
            "peut_traiter": peut_traiter_sollicitation(request.user, sollicitation),
            "actions": actions_sollicitation(request.user, sollicitation),
            **formulaires,
        },
    )


def _sollicitation_depuis_formulaire(form, *, origine, par=None, entreprise=None) -> Sollicitation:
    d = dict(form.cleaned_data)
    d.pop("siren", None)
    return services.sollicitation_creer(origine=origine, par=par, entreprise=entreprise, **d)


@agent_requis()
def sollicitation_nouvelle(request):
    form = SollicitationAgentForm(request.POST or None, initial={"siren": request.GET.get("siren", "")})
    if request.method == "POST" and form.is_valid():
        siren = form.cleaned_data.get("siren", "").strip()
        entreprise = Entreprise.objects.filter(siren=siren).first() if siren else None
        if siren and entreprise is None:
            form.add_error("siren", "Aucune entreprise de la base n'a ce SIREN.")
        else:
            try:
                nouvelle = _sollicitation_depuis_formulaire(
                    form, origine=Sollicitation.Origine.AGENT, par=request.user, entreprise=entreprise
                )
            except ValidationError as erreur:
                _erreurs_service(form, erreur)
            else:
                messages.success(request, "Demande enregistrée et transmise.")
                return redirect("crm_agents:sollicitation", pk=nouvelle.pk)
    return render(
        request, "crm/sollicitation_form.html", {"form": form, "suggestions": form.fields["commune"].suggestions}
    )


@limite_requise("contact")
def etre_contacte(request):
    """Public « Être contacté » form (honeypot, and a limit per address)."""
    form = SollicitationPubliqueProtegeeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.cleaned_data.pop("site_web_piege", None)
        try:
            sollicitation = _sollicitation_depuis_formulaire(form, origine=Sollicitation.Origine.FORMULAIRE)
        except ValidationError as erreur:
            _erreurs_service(form, erreur)
        else:
            # The thank-you page says who really received it (no personal data in the session).
            request.session["contact_acheminement"] = [sollicitation.acheminement, sollicitation.direction.nom]
            return redirect("crm:contact-merci")
    return render(request, "crm/etre_contacte.html", {"form": form, "suggestions": form.fields["commune"].suggestions})


def etre_contacte_merci(request):
    acheminement, direction = request.session.get("contact_acheminement") or [None, ""]
    return render(request, "crm/etre_contacte_merci.html", {"acheminement": acheminement, "direction": direction})
