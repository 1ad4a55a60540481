"""The SAF back office (/agents/saf/): dashboard of the signature circuit, one convention, payments,
FEDER follow-up and the SCDL open-data export.

Every agent reads; the SAF managers (and administrators) act; the Région signs with the permission
aides.signer_convention_region (granted to the pilotage role, see AidesConfig).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.acces import agent_requis
from portal.fichiers import reponse_fichier
from portal.journal import telechargement_journaliser
from portal.permissions import exiger
from portal.reseau import adresse_client
from portal.roles import Role
from portal.tableurs import Classeur, Colonne

from . import services_convention as services
from .actions_convention import actions_convention
from .forms_convention import (
    ClotureForm,
    ConventionCreerForm,
    SignatureRegionForm,
    TableauFiltresForm,
    VersementForm,
)
from .models import ETAPES_EN_COURS, ConventionAide, Demande, Etape, Versement, VersionConvention
from .selectors_convention import (
    comptes_par_etape,
    convention_pour_saf,
    conventions_a_creer,
    conventions_tableau,
    delais_par_etape,
    feder_par_objectif,
    jours_par_etape,
    operations_sans_preuve_publicite,
    total_paye,
)

ROLES_SAF = (Role.GESTIONNAIRE_SAF, Role.ADMINISTRATEUR)


def _filtres(request):
    form = TableauFiltresForm(request.GET or None)
    criteres = {}
    if form.is_valid():
        d = form.cleaned_data
        criteres = {
            "etape": d.get("etape") or None,
            "dispositif_id": d["dispositif"].pk if d.get("dispositif") else None,
            "direction_id": d["direction"].pk if d.get("direction") else None,
            "bloquees": d.get("bloquees") or False,
            "gestionnaire_id": request.user.pk if d.get("miennes") else None,
            "versements_a_controler": d.get("versements") or False,
        }
    return form, criteres


@agent_requis()
def tableau(request):
    exiger(request.user, "tableau_saf", "lire", introuvable=False)
    form, criteres = _filtres(request)
    jours = settings.SAF_JOURS_BLOCAGE
    page = Paginator(conventions_tableau(jours_blocage=jours, **criteres), 50).get_page(request.GET.get("page"))
    debut, fin = form.periode()
    maintenant = timezone.now()
    lignes = [(c, (maintenant - c.etape_depuis).days) for c in page.object_list]
    delais = delais_par_etape(
        debut=debut, fin=fin, dispositif_id=criteres.get("dispositif_id"), direction_id=criteres.get("direction_id")
    )
    return render(
        request,
        "aides/saf/tableau.html",
        {
            "filtres": form,
            "page": page,
            "lignes": lignes,
            "comptes": comptes_par_etape(
                jours_blocage=jours,
                dispositif_id=criteres.get("dispositif_id"),
                direction_id=criteres.get("direction_id"),
            ),
            "delais_tout": [d for d in delais if d.axe == "tout"],
            "delais_direction": [d for d in delais if d.axe == "direction"],
            "delais_dispositif": [d for d in delais if d.axe == "dispositif"],
            "debut": debut,
            "fin": fin,
            "jours": jours,
            "a_creer": conventions_a_creer()[:10],
            "peut_gerer": request.user.a_role(*ROLES_SAF),
        },
    )


COLONNES_XLSX = [
    Colonne("Numéro", largeur=18),
    Colonne("Bénéficiaire", largeur=36),
    Colonne("SIRET", largeur=16),
    Colonne("Dispositif", largeur=36),
    Colonne("Direction", largeur=10),
    Colonne("Montant", "euros", largeur=16),
    Colonne("Étape", largeur=28),
    Colonne("Depuis le", "date", largeur=12),
    Colonne("Âge (jours)", "entier", largeur=12),
    Colonne("Bloquée", "oui_non", largeur=10),
    Colonne("Créée le", "date", largeur=12),
] + [Colonne(f"Jours « {etape.label} »", "nombre", largeur=14) for etape in ETAPES_EN_COURS]
COLONNES_DELAIS = [
    Colonne("Étape", largeur=28),
    Colonne("Par", largeur=12),
    Colonne("Direction ou dispositif", largeur=36),
    Colonne("Conventions", "entier", largeur=12),
    Colonne("Médiane (jours)", "nombre", largeur=16),
    Colonne("90e centile (jours)", "nombre", largeur=18),
]


@agent_requis()
def export_xlsx(request):
    exiger(request.user, "tableau_saf", "lire", introuvable=False)
    """The dashboard's list (same filters) as a spreadsheet, with the days spent in each step, and
    a second sheet of delays per step (median, 90th percentile) over the dashboard's period."""
    form, criteres = _filtres(request)
    debut, fin = form.periode()
    maintenant = timezone.now()
    classeur = Classeur()
    conventions = conventions_tableau(jours_blocage=settings.SAF_JOURS_BLOCAGE, **criteres).prefetch_related("etapes")

    def lignes():
        for c in conventions.iterator(chunk_size=2000):
            jours = jours_par_etape(c, maintenant=maintenant)
            yield [
                c.numero,
                c.etablissement.entreprise.denomination,
                c.etablissement.siret,
                c.dispositif.nom,
                c.direction.code,
                c.montant,
                c.get_etape_display(),
                c.etape_depuis,
                (maintenant - c.etape_depuis).days,
                c.bloquee,
                c.cree_le,
            ] + [jours.get(etape.value) for etape in ETAPES_EN_COURS]

    classeur.feuille("Conventions", COLONNES_XLSX, lignes())
    delais = delais_par_etape(
        debut=debut, fin=fin, dispositif_id=criteres.get("dispositif_id"), direction_id=criteres.get("direction_id")
    )
    axes = {"tout": "Toutes", "direction": "Direction", "dispositif": "Dispositif"}
    classeur.feuille(
        f"Délais {debut:%d-%m-%Y} au {fin:%d-%m-%Y}",
        COLONNES_DELAIS,
        ([d.libelle, axes[d.axe], d.cle, d.nombre, d.mediane, d.p90] for d in delais),
    )
    return classeur.reponse(f"conventions-{timezone.localdate():%Y-%m-%d}.xlsx")


def convention_lisible(request, pk: int) -> ConventionAide:
    """The convention if the agent's role reads it (FEDER: co-financed ones only), else 404."""
    convention = get_object_or_404(ConventionAide.objects.select_related("etablissement__entreprise"), pk=pk)
    exiger(request.user, "convention", "lire", cible=convention)
    return convention


def _page(request, pk: int, *, status: int = 200, **formulaires):
    convention_lisible(request, pk)
    convention = get_object_or_404(convention_pour_saf(pk))
    versions = sorted(convention.versions.all(), key=lambda v: -v.numero)
    paye = total_paye(convention)
    signatures = {s.partie: s for s in convention.signatures.all()}
    contexte = {
        "convention": convention,
        "versions": versions,
        "version_courante": versions[0] if versions else None,
        "signatures": signatures,
        "paye": paye,
        "reste_a_payer": convention.montant - paye,
        "reste_a_engager": convention.montant - convention.total_versements,
        "peut_gerer": request.user.a_role(*ROLES_SAF),
        "actions": actions_convention(request.user, convention),
        "prochain_signataire": services.prochain_signataire(convention),
        "versement_form": formulaires.get("versement_form") or VersementForm(),
        "cloture_form": formulaires.get("cloture_form") or ClotureForm(),
        "signature_form": formulaires.get("signature_form") or SignatureRegionForm(),
        "erreur": formulaires.get("erreur"),
        "Etape": Etape,
        "en_generation": convention.pdf_demande_le is not None,
        "etats_suivants": Versement.SUIVANT,
    }
    return render(request, "aides/saf/convention.html", contexte, status=status)


@agent_requis()
def convention(request, pk: int):
    return _page(request, pk)


@agent_requis()
def pdf_statut(request, pk: int):
    """Polled by static/js/saf-convention.js while a PDF is being generated."""
    from django.http import JsonResponse

    convention = convention_lisible(request, pk)
    return JsonResponse({"en_cours": convention.pdf_demande_le is not None, "versions": convention.versions.count()})


@agent_requis()
def version_telecharger(request, pk: int, version_pk: int):
    convention = convention_lisible(request, pk)
    version = get_object_or_404(VersionConvention, pk=version_pk, convention_id=pk)
    telechargement_journaliser(
        request,
        objet="convention (PDF)",
        objet_id=version.pk,
        nom_fichier=f"convention-{convention.numero}-v{version.numero}.pdf",
        siren=convention.etablissement.entreprise.siren,
    )
    return reponse_fichier(
        request,
        version.fichier,
        nom=f"convention-{convention.numero}-v{version.numero}.pdf",
        type_mime="application/pdf",
    )


@agent_requis(*ROLES_SAF)
def creer(request, demande_pk: int):
    # Staff never see a draft: a company's unsent application is its own (a draft's id is a 404).
    demande = get_object_or_404(
        Demande.objects.select_related("dispositif", "etablissement__entreprise").exclude(
            statut=Demande.Statut.BROUILLON
        ),
        pk=demande_pk,
    )
    if hasattr(demande, "convention"):
        return redirect("aides_saf:convention", demande.convention.pk)
    form = ConventionCreerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            convention = services.convention_creer(
                demande_id=demande.pk,
                par=request.user,
                part_feder=d.get("part_feder") or 0,
                part_epci=d.get("part_epci") or 0,
                epci=d.get("epci"),
                objet=d.get("objet") or "",
                duree_mois=d["duree_mois"],
            )
        except ValidationError as erreur:
            _erreurs_dans(form, erreur)
        else:
            services.convention_editer(convention_id=convention.pk, par=request.user)
            messages.success(request, f"Convention {convention.numero} créée ; son PDF est en préparation.")
            return redirect("aides_saf:convention", convention.pk)
    return render(
        request, "aides/saf/creer.html", {"demande": demande, "form": form}, status=400 if form.errors else 200
    )


def _erreurs_dans(form, erreur: ValidationError) -> None:
    if hasattr(erreur, "error_dict"):
        for champ, liste in erreur.message_dict.items():
            form.add_error(champ if champ in form.fields else None, liste)
    else:
        form.add_error(None, erreur.messages)


def _action(request, pk: int, fonction, succes: str):
    try:
        fonction()
    except ValidationError as erreur:
        return _page(request, pk, status=400, erreur=" ".join(erreur.messages))
    except ConventionAide.DoesNotExist:
        raise Http404 from None
    messages.success(request, succes)
    return redirect("aides_saf:convention", pk)


@agent_requis(*ROLES_SAF)
@require_POST
def editer(request, pk: int):
    return _action(
        request,
        pk,
        lambda: services.convention_editer(convention_id=pk, par=request.user),
        "Une nouvelle version du PDF est en préparation.",
    )


@agent_requis(*ROLES_SAF)
@require_POST
def envoyer(request, pk: int):
    return _action(
        request,
        pk,
        lambda: services.convention_envoyer(convention_id=pk, par=request.user),
        "Convention envoyée au bénéficiaire pour signature.",
    )


@agent_requis()
@require_POST
def signer_region(request, pk: int):
    if not request.user.has_perm(services.PERMISSION_SIGNATURE_REGION):
        raise PermissionDenied("La signature au nom de la Région est réservée aux agents habilités.")
    form = SignatureRegionForm(request.POST)
    if form.is_valid():
        try:
            services.convention_signer_region(
                convention_id=pk,
                par=request.user,
                version_id=form.cleaned_data["version"],
                mot_de_passe=form.cleaned_data["mot_de_passe"],
                code_otp=form.cleaned_data["code"],
                adresse_ip=adresse_client(request),
            )
        except ValidationError as erreur:
            _erreurs_dans(form, erreur)
        except ConventionAide.DoesNotExist:
            raise Http404 from None
        else:
            messages.success(request, "Convention signée au nom de la Région.")
            return redirect("aides_saf:convention", pk)
    manque = "Version de la convention manquante." if "version" in form.errors else None
    return _page(request, pk, status=400, signature_form=form, erreur=manque)


@agent_requis(*ROLES_SAF)
@require_POST
def notifier(request, pk: int):
    return _action(
        request,
        pk,
        lambda: services.convention_notifier(convention_id=pk, par=request.user),
        "Convention notifiée au bénéficiaire.",
    )


@agent_requis(*ROLES_SAF)
@require_POST
def executer(request, pk: int):
    return _action(
        request,
        pk,
        lambda: services.convention_executer(convention_id=pk, par=request.user),
        "Convention en exécution.",
    )


@agent_requis(*ROLES_SAF)
@require_POST
def clore(request, pk: int):
    get_object_or_404(ConventionAide, pk=pk)
    form = ClotureForm(request.POST)
    if not form.is_valid():
        return _page(request, pk, status=400, cloture_form=form)
    try:
        services.convention_clore(
            convention_id=pk, par=request.user, vers=form.cleaned_data["vers"], motif=form.cleaned_data["motif"]
        )
    except ValidationError as erreur:
        _erreurs_dans(form, erreur)
        return _page(request, pk, status=400, cloture_form=form)
    messages.success(request, "Convention close.")
    return redirect("aides_saf:convention", pk)


@agent_requis(*ROLES_SAF)
@require_POST
def versement_creer(request, pk: int):
    get_object_or_404(ConventionAide, pk=pk)
    form = VersementForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, pk, status=400, versement_form=form)
    d = form.cleaned_data
    try:
        services.versement_creer(
            convention_id=pk,
            par=request.user,
            type=d["type"],
            montant=d["montant"],
            commentaire=d.get("commentaire") or "",
            pieces=[d["justificatif"]] if d.get("justificatif") else [],
        )
    except ValidationError as erreur:
        _erreurs_dans(form, erreur)
        return _page(request, pk, status=400, versement_form=form)
    messages.success(request, "Versement enregistré.")
    return redirect("aides_saf:convention", pk)


@agent_requis(*ROLES_SAF)
@require_POST
def versement_avancer(request, pk: int, versement_pk: int):
    versement = get_object_or_404(Versement, pk=versement_pk, convention_id=pk)
    return _action(
        request,
        pk,
        lambda: services.versement_avancer(versement_id=versement.pk, par=request.user),
        "Versement mis à jour.",
    )


@agent_requis()
def piece_versement(request, pk: int, piece_pk: int):
    from .models import PieceVersement

    convention = convention_lisible(request, pk)
    piece = get_object_or_404(PieceVersement, pk=piece_pk, versement__convention_id=pk)
    telechargement_journaliser(
        request,
        objet="pièce de versement",
        objet_id=piece.pk,
        nom_fichier=piece.nom_original,
        siren=convention.etablissement.entreprise.siren,
    )
    return reponse_fichier(request, piece.fichier, nom=piece.nom_original, type_mime=piece.type_mime)


@agent_requis()
def feder(request):
    exiger(request.user, "tableau_saf", "lire", introuvable=False)
    sans_preuve = Paginator(operations_sans_preuve_publicite(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "aides/saf/feder.html",
        {"objectifs": feder_par_objectif(), "sans_preuve": sans_preuve},
    )


@agent_requis()
def scdl(request):
    exiger(request.user, "tableau_saf", "lire", introuvable=False)
    from .scdl import annee_publiable, scdl_ecrire

    try:
        annee = annee_publiable(request.GET.get("annee") or timezone.localdate().year)
    except ValueError as erreur:
        return HttpResponse(str(erreur), status=400, content_type="text/plain; charset=utf-8")
    reponse = HttpResponse(content_type="text/csv; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="subventions-region-hdf-{annee}.csv"'
    scdl_ecrire(reponse, annee=annee)
    return reponse
