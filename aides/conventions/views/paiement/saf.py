from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from aides.conventions.actions import MACHINE_DEMANDE_VERSEMENT
from aides.conventions.forms.paiement import (
    ComplementForm,
    EcheancePayeeForm,
    EcheancierForm,
    ImportRemboursementsForm,
    RapportDecisionForm,
    RefusForm,
)
from aides.conventions.models.convention import ConventionAide
from aides.conventions.models.paiement import (
    DemandeVersement,
    EcheanceRemboursement,
    PieceDemandeVersement,
    RapportFinal,
)
from aides.conventions.services import paiement as services
from aides.conventions.views.paiement.entreprise import _preuve, demande_versement_pour_saf
from aides.conventions.views.saf import ROLES_SAF
from portal.acces import agent_requis
from portal.documents import document_reponse
from portal.formulaires import formulaire_soumettre
from portal.journal import telechargement_journaliser
from portal.permissions import exiger
from portal.tableurs import Classeur, Colonne


@agent_requis()
def file_versements(request):
    """Payment requests waiting for SAF, oldest deposit first."""
    exiger(request.user, "convention", "lire", introuvable=False)
    qs = (
        DemandeVersement.objects.filter(etat__in=DemandeVersement.EN_VERIFICATION)
        .select_related("convention__etablissement__entreprise", "convention__dispositif")
        .annotate(nb_lignes=Count("lignes"))
        .order_by("depose_le", "pk")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    maintenant = timezone.now()
    return render(
        request,
        "aides/saf/versements.html",
        {"page": page, "lignes": [(d, d.age_jours(maintenant)) for d in page.object_list]},
    )


@agent_requis()
def export_versements(request):
    """Accepted requests for the accounting service (XLSX, through the one formula-safe writer); for the
    roles that read aid conventions."""
    exiger(request.user, "convention", "lire", introuvable=False)
    qs = (
        DemandeVersement.objects.filter(etat=DemandeVersement.Etat.ACCEPTEE)
        .select_related("convention__etablissement__entreprise", "versement")
        .order_by("decide_le", "pk")
    )
    classeur = Classeur()
    classeur.feuille(
        "Versements",
        [
            Colonne("Convention", largeur=16),
            Colonne("Bénéficiaire", largeur=30),
            Colonne("SIRET", largeur=16),
            Colonne("Type"),
            Colonne("Dépenses déclarées HT", "euros", 16),
            Colonne("Dépenses retenues HT", "euros", 16),
            Colonne("Montant retenu", "euros", 16),
            Colonne("Décidée le", "date", 12),
            Colonne("État du versement", largeur=18),
        ],
        (
            [
                d.convention.numero,
                d.convention.etablissement.entreprise.denomination,
                d.convention.etablissement.siret,
                d.get_type_display(),
                d.depenses_declarees or Decimal("0"),
                d.depenses_retenues or Decimal("0"),
                d.montant_retenu or Decimal("0"),
                d.decide_le,
                d.versement.get_etat_display() if d.versement else "",
            ]
            for d in qs.iterator(chunk_size=2000)
        ),
    )
    return classeur.reponse(f"versements-{timezone.localdate():%Y-%m-%d}.xlsx")


def _page_saf(request, demande, *, status=200, erreur="", **formulaires):
    convention = demande.convention
    return render(
        request,
        "aides/saf/versement.html",
        {
            "demande": demande,
            "convention": convention,
            "lignes": demande.lignes.select_related("ligne_depense"),
            "depenses_prevues": convention.demande.lignes.all(),
            "pieces": demande.pieces.all(),
            "echanges": demande.echanges.select_related("auteur").prefetch_related("pieces"),
            "situation": services.situation(convention),
            "taux": (services.taux_aide(convention) * 100).quantize(services.CENT),
            "rapport": RapportFinal.objects.filter(convention=convention).first(),
            "peut_gerer": request.user.a_role(*ROLES_SAF),
            "complement_form": formulaires.get("complement_form") or ComplementForm(),
            "refus_form": formulaires.get("refus_form") or RefusForm(),
            "erreur": erreur,
        },
        status=status,
    )


def _page_saf_relue(request, demande, **options):
    """The page after a refused action: the request as the database holds it now."""
    demande.refresh_from_db()
    return _page_saf(request, demande, **options)


@agent_requis()
def versement_saf(request, dv_pk: int):
    demande = demande_versement_pour_saf(dv_pk)
    # Reading a payment request is reading its convention (FEDER: co-financed ones only).
    exiger(request.user, "convention", "lire", cible=demande.convention)
    return _page_saf(request, demande)


@agent_requis(*ROLES_SAF)
@require_POST
def versement_accepter(request, dv_pk: int):
    demande = demande_versement_pour_saf(dv_pk)
    rejets = {
        ligne.pk: request.POST.get(f"motif_{ligne.pk}", "")
        for ligne in demande.lignes.all()
        if request.POST.get(f"rejeter_{ligne.pk}")
    }
    try:
        demande = services.demande_versement_accepter(
            demande_versement_id=demande.pk,
            par=request.user,
            rejets=rejets,
            commentaire=request.POST.get("commentaire", ""),
        )
    except ValidationError as erreur:
        demande.refresh_from_db()
        # 409: the request is no longer to decide (decided or sent back meanwhile); 400: a refused input.
        perimee = demande.etat not in MACHINE_DEMANDE_VERSEMENT.actions["accepter"]
        return _page_saf(request, demande, status=409 if perimee else 400, erreur=" ".join(erreur.messages))
    messages.success(request, f"Demande acceptée : versement de {demande.montant_retenu} € enregistré (contrôlé).")
    return redirect("aides_saf:versement", demande.pk)


@agent_requis(*ROLES_SAF)
@require_POST
def versement_complement(request, dv_pk: int):
    demande = demande_versement_pour_saf(dv_pk)
    form = ComplementForm(request.POST, request.FILES)
    return formulaire_soumettre(
        request,
        form,
        lambda d: services.demande_versement_complement(
            demande_versement_id=demande.pk, par=request.user, texte=d["texte"], pieces=form.fichiers()
        ),
        succes="Complément demandé à l'entreprise.",
        suite=reverse("aides_saf:versement", args=[demande.pk]),
        page=lambda form: _page_saf_relue(request, demande, status=400, complement_form=form),
    )


@agent_requis(*ROLES_SAF)
@require_POST
def versement_refuser(request, dv_pk: int):
    demande = demande_versement_pour_saf(dv_pk)
    return formulaire_soumettre(
        request,
        RefusForm(request.POST),
        lambda d: services.demande_versement_refuser(
            demande_versement_id=demande.pk, par=request.user, motif=d["motif"]
        ),
        succes="Demande refusée ; l'entreprise est informée.",
        suite=reverse("aides_saf:versement", args=[demande.pk]),
        page=lambda form: _page_saf_relue(request, demande, status=400, refus_form=form),
    )


@agent_requis()
def versement_piece_saf(request, dv_pk: int, piece_pk: int):
    piece = get_object_or_404(
        PieceDemandeVersement.objects.exclude(demande_versement__etat=DemandeVersement.Etat.BROUILLON).select_related(
            "demande_versement__convention__etablissement__entreprise", "document"
        ),
        pk=piece_pk,
        demande_versement_id=dv_pk,
    )
    convention = piece.demande_versement.convention
    exiger(request.user, "convention", "lire", cible=convention)
    telechargement_journaliser(
        request,
        objet="pièce de demande de paiement",
        objet_id=piece.pk,
        nom_fichier=piece.nom_original,
        siren=convention.etablissement.entreprise.siren,
    )
    return document_reponse(request, piece.document, nom=piece.nom_original)


def _page_rapport_saf(request, convention, *, status=200, form=None, erreur=""):
    return render(
        request,
        "aides/saf/rapport.html",
        {
            "convention": convention,
            "rapport": get_object_or_404(RapportFinal.objects.exclude(etat="brouillon"), convention=convention),
            "form": form or RapportDecisionForm(),
            "peut_gerer": request.user.a_role(*ROLES_SAF),
            "erreur": erreur,
        },
        status=status,
    )


@agent_requis()
def rapport_saf(request, pk: int):
    convention = get_object_or_404(ConventionAide, pk=pk)
    exiger(request.user, "convention", "lire", cible=convention)
    if request.method != "POST":
        return _page_rapport_saf(request, convention)
    if not request.user.a_role(*ROLES_SAF):
        raise PermissionDenied("Seuls les gestionnaires SAF valident un rapport final.")
    return formulaire_soumettre(
        request,
        RapportDecisionForm(request.POST),
        lambda d: services.rapport_decider(convention_id=pk, par=request.user, valide=d["valide"], motif=d["motif"]),
        succes="Décision enregistrée ; l'entreprise est informée.",
        suite=reverse("aides_saf:rapport", args=[pk]),
        page=lambda form: _page_rapport_saf(request, convention, status=400, form=form),
    )


@agent_requis()
def rapport_preuve_saf(request, pk: int):
    rapport = get_object_or_404(
        RapportFinal.objects.exclude(etat="brouillon")
        .filter(preuve__isnull=False)
        .select_related("convention", "preuve"),
        convention_id=pk,
    )
    exiger(request.user, "convention", "lire", cible=rapport.convention)
    return _preuve(request, rapport)


def _page_remboursements(request, convention, *, status=200, **formulaires):
    aujourd_hui = timezone.localdate()
    echeances = list(convention.remboursements.order_by("numero"))
    return render(
        request,
        "aides/saf/remboursements.html",
        {
            "convention": convention,
            "echeances": [(e, e.statut_libelle(aujourd_hui)) for e in echeances],
            "encours": sum((e.reste_du for e in echeances), services.ZERO),
            "peut_gerer": request.user.a_role(*ROLES_SAF),
            "echeancier_form": formulaires.get("echeancier_form")
            or EcheancierForm(initial={"montant": convention.montant, "debut": convention.date_decision}),
            "paye_form": formulaires.get("paye_form") or EcheancePayeeForm(initial={"paye_le": aujourd_hui}),
            "import_form": formulaires.get("import_form") or ImportRemboursementsForm(),
            "remboursable": convention.nature in services.NATURES_REMBOURSABLES,
        },
        status=status,
    )


@agent_requis()
def remboursements(request, pk: int):
    convention = get_object_or_404(ConventionAide, pk=pk)
    exiger(request.user, "convention", "lire", cible=convention)
    return _page_remboursements(request, convention)


@agent_requis(*ROLES_SAF)
@require_POST
def remboursements_generer(request, pk: int):
    convention = get_object_or_404(ConventionAide, pk=pk)
    return formulaire_soumettre(
        request,
        EcheancierForm(request.POST),
        lambda d: services.echeancier_remboursement_generer(convention_id=pk, par=request.user, **d),
        succes="Échéancier de remboursement généré.",
        suite=reverse("aides_saf:remboursements", args=[pk]),
        page=lambda form: _page_remboursements(request, convention, status=400, echeancier_form=form),
    )


@agent_requis(*ROLES_SAF)
@require_POST
def echeance_payee(request, pk: int, echeance_pk: int):
    convention = get_object_or_404(ConventionAide, pk=pk)
    echeance = get_object_or_404(EcheanceRemboursement, pk=echeance_pk, convention=convention)
    return formulaire_soumettre(
        request,
        EcheancePayeeForm(request.POST),
        lambda d: services.echeance_payer(echeance_id=echeance.pk, par=request.user, **d),
        succes=f"Échéance n° {echeance.numero} enregistrée comme payée.",
        suite=reverse("aides_saf:remboursements", args=[pk]),
        page=lambda form: _page_remboursements(request, convention, status=400, paye_form=form),
    )


@agent_requis(*ROLES_SAF)
@require_POST
def remboursements_importer(request, pk: int):
    convention = get_object_or_404(ConventionAide, pk=pk)
    form = ImportRemboursementsForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page_remboursements(request, convention, status=400, import_form=form)
    enregistrees, erreurs = services.remboursements_importer(contenu=form.cleaned_data["fichier"], par=request.user)
    messages.success(request, f"{enregistrees} paiement(s) d'échéance importé(s).")
    for erreur in erreurs[:20]:
        messages.error(request, erreur)
    return redirect("aides_saf:remboursements", pk)
