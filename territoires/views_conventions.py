"""Staff pages on EPCI conventions (coverage, convention, documents), assignments and deadlines;
the public page of a territory's contacts."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.acces import agent_requis
from portal.documents import document_reponse
from portal.formulaires import erreurs_vers_formulaire
from portal.journal import telechargement_journaliser
from portal.permissions import exiger
from portal.roles import Role
from portal.tableurs import csv_reponse

from . import services
from .acces import convention_obtenir, peut_modifier_affectations, peut_modifier_conventions
from .actions import actions_convention_epci, statuts_suivants
from .carte import carte_region, carte_region_svg
from .extensions import PAGE_CONTACTS, PAGE_CONVENTION, sections_rendre
from .filters import AffectationFilterSet
from .forms import (
    AffectationForm,
    ConventionForm,
    CouvertureFiltreForm,
    EcheanceForm,
    EngagementForm,
    PieceForm,
    StatutForm,
)
from .models import EPCI, Affectation, ConventionTerritoriale, EcheanceConventionnement, TypeConvention
from .selectors_conventions import (
    Categorie,
    contacts_publics,
    convention_historique,
    couverture_calculer,
)

LIGNES_PAR_PAGE = 100  # the 92 EPCI fit on one page: the table is the map's text equivalent
AFFECTATIONS_PAR_PAGE = 50

# --- Coverage -------------------------------------------------------------------------------------


def _couverture_depuis(request):
    # A form, not a FilterSet: the rows are computed in Python from every EPCI's conventions.
    filtres = CouvertureFiltreForm(request.GET)
    criteres = filtres.cleaned_data if filtres.is_valid() else {}
    couverture = couverture_calculer(
        departement=criteres.get("departement"),
        type=criteres.get("type") or None,
        categorie=criteres.get("etat") or None,
    )
    return filtres, criteres, couverture


@agent_requis()
def couverture(request):
    filtres, criteres, couverture = _couverture_depuis(request)
    region = carte_region()
    classes = {ligne.epci.siren: f"conv-{ligne.categorie}" for ligne in couverture.lignes}
    type_libelle = TypeConvention(criteres["type"]).label if criteres.get("type") else None
    description = ", ".join(f"{c['libelle'].lower()} : {c['nombre']} EPCI" for c in couverture.comptes)
    carte = carte_region_svg(
        classes,
        titre="Carte de la couverture des EPCI par les conventions"
        + (f" de type « {type_libelle} »" if type_libelle else ""),
        description=f"{description}. Le tableau qui suit la carte en donne le détail.",
        lien=lambda siren: reverse("territoires_agents:epci-detail", args=[siren]),
        carte=region,
    )
    page = Paginator(couverture.lignes, LIGNES_PAR_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "territoires/couverture.html",
        {
            "filtres": filtres,
            "criteres": criteres,
            "type_libelle": type_libelle,
            "etat_libelle": Categorie.LIBELLES.get(criteres.get("etat") or ""),
            "couverture": couverture,
            "page": page,
            "carte": carte,
            "types": TypeConvention.choices,
            "categories": Categorie.CHOIX,
            "peut_gerer_echeances": request.user.a_role(Role.PILOTAGE),
            "echeances": EcheanceConventionnement.objects.actives().filter(date__gte=timezone.localdate()),
        },
    )


@agent_requis()
def couverture_csv(request):
    _, _, couverture = _couverture_depuis(request)
    entete = ["SIREN", "EPCI", "Départements", "Population", "État"]
    for _, libelle in TypeConvention.choices:
        entete += [f"{libelle} : en vigueur jusqu'au", f"{libelle} : en cours"]

    def lignes():
        for ligne in couverture.lignes:
            rangee = [
                ligne.epci.siren,
                ligne.epci.nom,
                " ".join(d.code for d in ligne.epci.departements.all()),
                ligne.epci.population,
                ligne.categorie_libelle,
            ]
            for _, en_vigueur, en_cours in ligne.cellules():
                rangee += [
                    en_vigueur.date_fin.strftime("%d/%m/%Y") if en_vigueur else "",
                    en_cours.etat_libelle if en_cours else "",
                ]
            yield rangee

    return csv_reponse(
        f"couverture-conventions-epci-{couverture.aujourd_hui:%Y-%m-%d}.csv", entete, lignes(), flux=False
    )


# --- Conventions ----------------------------------------------------------------------------------


@agent_requis()
def convention_creer(request):
    user = request.user
    if not (user.a_role(Role.PILOTAGE) or (user.a_role(Role.CHARGE_DE_MISSION) and user.affectations.exists())):
        raise PermissionDenied("Seuls le pilotage et les chargés de mission affectés à un EPCI créent des conventions.")
    initial = {}
    if siren := request.GET.get("epci"):
        epci = get_object_or_404(EPCI.objects.defer("contour"), siren=siren)
        if not peut_modifier_conventions(user, epci):
            raise PermissionDenied("Vous n'êtes pas affecté à cet EPCI : seul le pilotage peut y créer une convention.")
        initial["epci"] = epci
    formulaire = ConventionForm(request.POST or None, initial=initial)
    if not user.a_role(Role.PILOTAGE):
        formulaire.fields["epci"].queryset = (
            formulaire.fields["epci"].queryset.filter(affectations__agent=user).distinct()
        )
    if request.method == "POST" and formulaire.is_valid():
        donnees = dict(formulaire.cleaned_data)
        epci = donnees.pop("epci")
        if not peut_modifier_conventions(user, epci):
            raise PermissionDenied("Vous n'êtes pas affecté à cet EPCI.")
        try:
            convention = services.convention_creer(epci=epci, par=user, **donnees)
        except ValidationError as erreur:
            erreurs_vers_formulaire(formulaire, erreur)
        else:
            messages.success(request, "La convention a été créée à l'état de projet.")
            return redirect("territoires_agents:convention-detail", convention.pk)
    return render(request, "territoires/convention_formulaire.html", {"formulaire": formulaire, "convention": None})


@agent_requis()
def convention_modifier(request, pk: int):
    convention = convention_obtenir(request, pk, pour_modifier=True)
    formulaire = ConventionForm(request.POST or None, instance=convention, modification=True)
    if request.method == "POST" and formulaire.is_valid():
        try:
            services.convention_modifier(convention=convention, par=request.user, **formulaire.cleaned_data)
        except ValidationError as erreur:
            erreurs_vers_formulaire(formulaire, erreur)
        else:
            messages.success(request, "Les modifications ont été enregistrées.")
            return redirect("territoires_agents:convention-detail", convention.pk)
    return render(
        request, "territoires/convention_formulaire.html", {"formulaire": formulaire, "convention": convention}
    )


@agent_requis()
def convention_detail(request, pk: int, statut_form=None, piece_form=None, engagement_form=None, status=200):
    convention = convention_obtenir(request, pk)
    statut_form = statut_form or StatutForm()
    actions = actions_convention_epci(request.user, convention)
    statut_form.fields["statut"].choices = statuts_suivants(convention)
    engagements = list(convention.engagements.all())
    return render(
        request,
        "territoires/convention_detail.html",
        {
            "convention": convention,
            "actions": actions,
            "peut_modifier": "modifier" in actions,
            "statut_form": statut_form,
            "piece_form": piece_form or PieceForm(),
            "engagement_form": engagement_form or EngagementForm(convention=convention),
            "engagements": engagements,
            "total_region": sum(e.montant_region for e in engagements),
            "total_epci": sum(e.montant_epci for e in engagements),
            "pieces": convention.pieces.select_related("ajoutee_par"),
            "historique": convention_historique(convention),
            "sections": sections_rendre(PAGE_CONVENTION, convention, request),
        },
        status=status,
    )


@require_POST
@agent_requis()
def convention_statut(request, pk: int):
    convention = convention_obtenir(request, pk, pour_modifier=True)
    formulaire = StatutForm(request.POST)
    formulaire.fields["statut"].choices = statuts_suivants(convention)
    if formulaire.is_valid():
        try:
            services.convention_changer_statut(
                convention=convention,
                statut=formulaire.cleaned_data["statut"],
                par=request.user,
                le=formulaire.cleaned_data["le"],
                motif=formulaire.cleaned_data["motif"],
            )
        except ValidationError as erreur:
            convention.refresh_from_db()
            erreurs_vers_formulaire(formulaire, erreur)
        else:
            messages.success(request, f"La convention est maintenant : {convention.etat_libelle.lower()}.")
            return redirect("territoires_agents:convention-detail", convention.pk)
    return convention_detail(request, pk, statut_form=formulaire, status=400)


@require_POST
@agent_requis()
def engagement_enregistrer(request, pk: int):
    convention = convention_obtenir(request, pk, pour_modifier=True)
    formulaire = EngagementForm(request.POST, convention=convention)
    if formulaire.is_valid():
        try:
            services.engagement_enregistrer(convention=convention, par=request.user, **formulaire.cleaned_data)
        except ValidationError as erreur:
            erreurs_vers_formulaire(formulaire, erreur)
        else:
            messages.success(request, f"Les engagements de {formulaire.cleaned_data['annee']} ont été enregistrés.")
            return redirect("territoires_agents:convention-detail", convention.pk)
    return convention_detail(request, pk, engagement_form=formulaire, status=400)


@require_POST
@agent_requis()
def engagement_supprimer(request, pk: int, annee: int):
    convention = convention_obtenir(request, pk, pour_modifier=True)
    engagement = get_object_or_404(convention.engagements, annee=annee)
    services.engagement_supprimer(engagement=engagement, par=request.user)
    messages.success(request, f"Les engagements de {annee} ont été retirés.")
    return redirect("territoires_agents:convention-detail", convention.pk)


@require_POST
@agent_requis()
def piece_ajouter(request, pk: int):
    convention = convention_obtenir(request, pk, pour_modifier=True)
    formulaire = PieceForm(request.POST, request.FILES)
    if formulaire.is_valid():
        try:
            services.piece_ajouter(
                convention=convention,
                fichier=formulaire.cleaned_data["fichier"],
                description=formulaire.cleaned_data["description"],
                par=request.user,
            )
        except ValidationError as erreur:
            formulaire.add_error("fichier", erreur)
        else:
            messages.success(request, "Le document a été ajouté.")
            return redirect("territoires_agents:convention-detail", convention.pk)
    return convention_detail(request, pk, piece_form=formulaire, status=400)


@agent_requis()
def piece_telecharger(request, pk: int, piece_pk: int):
    convention = convention_obtenir(request, pk)
    exiger(request.user, "convention_epci", "document", introuvable=False)
    piece = get_object_or_404(convention.pieces.select_related("document"), pk=piece_pk)
    telechargement_journaliser(
        request, objet="document de convention EPCI", objet_id=piece.pk, nom_fichier=piece.nom_original
    )
    return document_reponse(request, piece.document, nom=piece.nom_original)


# --- Assignments ----------------------------------------------------------------------------------


@agent_requis()
def affectations(request):
    peut_modifier = peut_modifier_affectations(request.user)
    formulaire = AffectationForm(request.POST or None, initial={"epci": request.GET.get("epci")})
    if request.method == "POST":
        if not peut_modifier:
            raise PermissionDenied("Seul le pilotage modifie les affectations territoriales.")
        if formulaire.is_valid():
            try:
                affectation = services.affectation_creer(**formulaire.cleaned_data)
            except ValidationError as erreur:
                erreurs_vers_formulaire(formulaire, erreur)
            else:
                messages.success(request, f"{affectation.agent} est affecté(e) à {affectation.epci.nom}.")
                return redirect(request.get_full_path())
    filtres = AffectationFilterSet(
        request.GET, queryset=Affectation.objects.select_related("agent", "epci", "direction").defer("epci__contour")
    )
    lignes = filtres.qs
    page = Paginator(
        lignes.order_by("epci__nom", "direction__code", "agent__last_name"), AFFECTATIONS_PAR_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "territoires/affectations.html",
        {
            "formulaire": formulaire,
            "filtres": filtres.form,
            "page": page,
            "peut_modifier": peut_modifier,
        },
        status=400 if formulaire.errors else 200,
    )


@require_POST
@agent_requis(Role.PILOTAGE)
def affectation_supprimer(request, pk: int):
    affectation = get_object_or_404(Affectation.objects.select_related("agent", "epci"), pk=pk)
    services.affectation_supprimer(affectation=affectation)
    messages.success(request, f"L'affectation de {affectation.agent} à {affectation.epci.nom} a été retirée.")
    return redirect("territoires_agents:affectations")


# --- Deadlines ------------------------------------------------------------------------------------


@agent_requis(Role.PILOTAGE)
def echeances(request):
    formulaire = EcheanceForm(request.POST or None)
    if request.method == "POST" and formulaire.is_valid():
        try:
            services.echeance_creer(**formulaire.cleaned_data)
        except ValidationError as erreur:
            erreurs_vers_formulaire(formulaire, erreur)
        else:
            messages.success(request, "L'échéance a été enregistrée.")
            return redirect("territoires_agents:echeances")
    lignes = []
    for echeance in EcheanceConventionnement.objects.order_by("-date", "type"):
        echeance.manquants = services.epci_sans_convention(echeance).count() if echeance.actif else None
        lignes.append(echeance)
    return render(
        request,
        "territoires/echeances.html",
        {"formulaire": formulaire, "echeances": lignes, "aujourd_hui": timezone.localdate()},
        status=400 if formulaire.errors else 200,
    )


@require_POST
@agent_requis(Role.PILOTAGE)
def echeance_activer(request, pk: int):
    echeance = get_object_or_404(EcheanceConventionnement, pk=pk)
    services.echeance_activer(echeance=echeance, actif=not echeance.actif)
    messages.success(request, f"L'échéance « {echeance} » est {'activée' if echeance.actif else 'désactivée'}.")
    return redirect("territoires_agents:echeances")


# --- Public ---------------------------------------------------------------------------------------


def contacts(request, siren: str):
    """« Vos contacts à la Région »: one entry door for a territory. Public: work contact data only."""
    epci = get_object_or_404(EPCI.objects.defer("contour").prefetch_related("departements"), siren=siren)
    en_vigueur = (
        ConventionTerritoriale.objects.en_vigueur().filter(epci=epci).only("type", "date_debut", "date_fin", "epci_id")
    )
    return render(
        request,
        "territoires/contacts.html",
        {
            "epci": epci,
            "directions": contacts_publics(epci),
            "conventions": sorted(en_vigueur, key=lambda c: TypeConvention.values.index(c.type)),
            "sections": sections_rendre(PAGE_CONTACTS, epci, request),
        },
    )
