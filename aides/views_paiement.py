"""Payment requests, final report and repayments (issue 17): the company's pages in /espace/ and
SAF's in /agents/saf/. Views translate input and call aides.services_paiement; every URL with an id
goes through an access-checked getter (another company: 404; staff without the SAF role: 403 on
actions)."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.acces import agent_requis
from portal.fichiers import reponse_fichier
from portal.journal import telechargement_journaliser
from portal.permissions import exiger
from portal.tableurs import Classeur, Colonne

from . import services_paiement as services
from .acces import convention_de_l_entreprise, entreprise_requise
from .actions_convention import actions_demande_versement, actions_rapport, peut_demander
from .documents import reponse_telechargement
from .forms_paiement import (
    ComplementForm,
    DemandeVersementForm,
    EcheancePayeeForm,
    EcheancierForm,
    ImportRemboursementsForm,
    LignesFormSet,
    RapportDecisionForm,
    RapportForm,
    RefusForm,
    ReponseVersementForm,
    TrancheForm,
)
from .models import ConventionAide, DemandeVersement, EcheanceRemboursement, PieceDemandeVersement, RapportFinal
from .views_saf import ROLES_SAF, _erreurs_dans

LIGNES_VIDES = 3


def _ecriture_autorisee(request) -> None:
    if not peut_demander(request.membre):
        raise PermissionDenied(
            "Votre rôle (lecteur, ou rattachement à vérifier) permet de consulter les versements, pas de les demander."
        )


# --- Access-checked getters -------------------------------------------------------------------------


def demande_versement_de_l_entreprise(request, pk: int, dv_pk: int) -> DemandeVersement:
    convention = convention_de_l_entreprise(request, pk)
    return get_object_or_404(
        DemandeVersement.objects.select_related("convention__demande"), pk=dv_pk, convention=convention
    )


def demande_versement_pour_saf(dv_pk: int) -> DemandeVersement:
    """A deposited request (a company's draft is its own: 404 for staff)."""
    return get_object_or_404(
        DemandeVersement.objects.exclude(etat=DemandeVersement.Etat.BROUILLON).select_related(
            "convention__demande", "convention__etablissement__entreprise", "convention__dispositif", "demandeur"
        ),
        pk=dv_pk,
    )


# --- Company ------------------------------------------------------------------------------------------


@entreprise_requise()
@require_POST
def versement_nouvelle(request, pk: int):
    convention = convention_de_l_entreprise(request, pk)
    _ecriture_autorisee(request)
    form = TrancheForm(request.POST, tranches=services.tranches(convention))
    if not form.is_valid():
        messages.error(request, "Choisissez la tranche de l'échéancier à demander.")
        return redirect("espace:convention", pk)
    try:
        demande = services.demande_versement_creer(
            convention_id=convention.pk, tranche=form.cleaned_data["tranche"], par=request.user, membre=request.membre
        )
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
        return redirect("espace:convention", pk)
    return redirect("espace:versement", pk, demande.pk)


def _choix_lignes(convention):
    return [(ligne.pk, f"{ligne.nature} ({ligne.montant_ht} € HT)") for ligne in convention.demande.lignes.all()]


def _formset(demande, data=None):
    choix = _choix_lignes(demande.convention)
    if data is not None:
        return LignesFormSet(data, prefix="lignes", form_kwargs={"choix_lignes": choix})
    initial = [
        {
            "fournisseur": ligne.fournisseur,
            "numero_facture": ligne.numero_facture,
            "date_facture": ligne.date_facture,
            "montant_ht": ligne.montant_ht,
            "montant_ttc": ligne.montant_ttc,
            "ligne_depense": ligne.ligne_depense_id,
        }
        for ligne in demande.lignes.all()
    ]
    initial += [{} for _ in range(LIGNES_VIDES)]
    return LignesFormSet(initial=initial, prefix="lignes", form_kwargs={"choix_lignes": choix})


def _page_versement(request, demande, *, status=200, form=None, formset=None, reponse_form=None, erreurs=None):
    convention = demande.convention
    return render(
        request,
        "aides/espace/versement.html",
        {
            "convention": convention,
            "demande": demande,
            "tranche": services.tranches(convention)[demande.tranche],
            "lignes": demande.lignes.select_related("ligne_depense"),
            "pieces": demande.pieces.all(),
            "echanges": demande.echanges.prefetch_related("pieces"),
            "form": form or DemandeVersementForm(initial={"commentaire": demande.commentaire}),
            "formset": None if demande.type == "avance" else (formset or _formset(demande)),
            "reponse_form": reponse_form or ReponseVersementForm(),
            "actions": actions_demande_versement(request.user, demande, membre=request.membre),
            "taux": (services.taux_aide(convention) * 100).quantize(services.CENT),
            "periode": services.periode_convention(convention),
            "erreurs": erreurs or [],
        },
        status=status,
    )


@entreprise_requise()
def versement(request, pk: int, dv_pk: int):
    demande = demande_versement_de_l_entreprise(request, pk, dv_pk)
    if request.method != "POST":
        return _page_versement(request, demande)
    _ecriture_autorisee(request)
    form = DemandeVersementForm(request.POST, request.FILES)
    formset = _formset(demande, request.POST) if demande.type != "avance" else None
    valides = form.is_valid() and (formset is None or formset.is_valid())
    if not valides:
        return _page_versement(request, demande, status=400, form=form, formset=formset)
    lignes = [f.cleaned_data for f in formset.forms] if formset is not None else []
    try:
        services.demande_versement_enregistrer(
            demande_versement_id=demande.pk,
            par=request.user,
            membre=request.membre,
            lignes=lignes,
            commentaire=form.cleaned_data.get("commentaire") or "",
            pieces=form.fichiers(),
        )
    except ValidationError as erreur:
        _erreurs_dans(form, erreur)
        return _page_versement(request, demande, status=400, form=form, formset=formset)
    for piece in demande.pieces.filter(pk__in=[int(v) for v in request.POST.getlist("retirer") if v.isdigit()]):
        try:  # after the lines are saved: removing a file loses nothing typed
            services.piece_retirer(piece_id=piece.pk, par=request.user, membre=request.membre)
        except ValidationError as erreur:
            messages.error(request, " ".join(erreur.messages))
    if "deposer" not in request.POST:
        messages.success(request, "Brouillon enregistré.")
        return redirect("espace:versement", pk, demande.pk)
    try:
        demande = services.demande_versement_deposer(
            demande_versement_id=demande.pk,
            par=request.user,
            membre=request.membre,
            certifie=form.cleaned_data.get("certifie") or False,
        )
    except ValidationError as erreur:
        demande.refresh_from_db()
        return _page_versement(request, demande, status=400, form=form, erreurs=erreur.messages)
    messages.success(
        request,
        f"Demande déposée : {demande.montant_demande} € demandés. Vous recevez un accusé de réception par courriel.",
    )
    return redirect("espace:versement", pk, demande.pk)


@entreprise_requise()
@require_POST
def versement_repondre(request, pk: int, dv_pk: int):
    demande = demande_versement_de_l_entreprise(request, pk, dv_pk)
    _ecriture_autorisee(request)
    form = ReponseVersementForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.demande_versement_repondre(
                demande_versement_id=demande.pk,
                par=request.user,
                membre=request.membre,
                texte=form.cleaned_data.get("texte") or "",
                pieces=form.fichiers(),
            )
        except ValidationError as erreur:
            _erreurs_dans(form, erreur)
        else:
            messages.success(request, "Réponse enregistrée. Vérifiez l'état des dépenses, puis redéposez la demande.")
            return redirect("espace:versement", pk, demande.pk)
    return _page_versement(request, demande, status=400, reponse_form=form)


@entreprise_requise()
def versement_piece(request, pk: int, dv_pk: int, piece_pk: int):
    demande = demande_versement_de_l_entreprise(request, pk, dv_pk)
    return reponse_telechargement(request, get_object_or_404(demande.pieces, pk=piece_pk))


@entreprise_requise()
@require_POST
def versement_piece_retirer(request, pk: int, dv_pk: int, piece_pk: int):
    demande = demande_versement_de_l_entreprise(request, pk, dv_pk)
    _ecriture_autorisee(request)
    piece = get_object_or_404(demande.pieces, pk=piece_pk)
    try:
        services.piece_retirer(piece_id=piece.pk, par=request.user, membre=request.membre)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(request, f"« {piece.nom_original} » retiré.")
    return redirect("espace:versement", pk, demande.pk)


def _rapport_initial(rapport: RapportFinal | None) -> dict:
    if rapport is None:
        return {}
    initial = {"bilan": rapport.bilan}
    for i, ind in enumerate(rapport.indicateurs.all()):
        initial.update({f"indicateur_{i}": ind.libelle, f"valeur_{i}": ind.valeur, f"unite_{i}": ind.unite})
    return initial


@entreprise_requise()
def rapport(request, pk: int):
    convention = convention_de_l_entreprise(request, pk)
    existant = RapportFinal.objects.filter(convention=convention).first()
    nombre = max(4, (existant.indicateurs.count() + 1) if existant else 0)
    form = RapportForm(initial=_rapport_initial(existant), nombre=nombre)
    erreurs = []
    status = 200
    if request.method == "POST":
        _ecriture_autorisee(request)
        form = RapportForm(request.POST, request.FILES, nombre=nombre)
        if form.is_valid():
            try:
                services.rapport_enregistrer(
                    convention_id=convention.pk,
                    par=request.user,
                    membre=request.membre,
                    bilan=form.cleaned_data.get("bilan") or "",
                    indicateurs=form.indicateurs(),
                    preuve=form.cleaned_data.get("preuve"),
                )
                if "deposer" in request.POST:
                    services.rapport_deposer(convention_id=convention.pk, par=request.user, membre=request.membre)
            except ValidationError as erreur:
                erreurs = erreur.messages
            else:
                messages.success(
                    request, "Rapport final déposé." if "deposer" in request.POST else "Brouillon enregistré."
                )
                return redirect("espace:rapport", pk)
        status = 400
        existant = RapportFinal.objects.filter(convention=convention).first()
    return render(
        request,
        "aides/espace/rapport.html",
        {
            "convention": convention,
            "rapport": existant,
            "form": form,
            "erreurs": erreurs,
            "modifiable": peut_demander(request.membre)
            if existant is None
            else "modifier" in actions_rapport(request.user, existant, membre=request.membre),
        },
        status=status,
    )


def _preuve(request, rapport: RapportFinal):
    return reponse_fichier(
        request,
        rapport.preuve_publicite,
        nom=rapport.preuve_nom or "preuve",
        type_mime=rapport.preuve_type_mime or "application/octet-stream",
    )


@entreprise_requise()
def rapport_preuve(request, pk: int):
    convention = convention_de_l_entreprise(request, pk)
    rapport = get_object_or_404(RapportFinal.objects.exclude(preuve_publicite=""), convention=convention)
    return _preuve(request, rapport)


# --- SAF ----------------------------------------------------------------------------------------------


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
        return _page_saf(
            request, demande, status=409 if demande.etat != "deposee" else 400, erreur=" ".join(erreur.messages)
        )
    messages.success(request, f"Demande acceptée : versement de {demande.montant_retenu} € enregistré (contrôlé).")
    return redirect("aides_saf:versement", demande.pk)


@agent_requis(*ROLES_SAF)
@require_POST
def versement_complement(request, dv_pk: int):
    demande = demande_versement_pour_saf(dv_pk)
    form = ComplementForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.demande_versement_complement(
                demande_versement_id=demande.pk,
                par=request.user,
                texte=form.cleaned_data["texte"],
                pieces=form.fichiers(),
            )
        except ValidationError as erreur:
            _erreurs_dans(form, erreur)
        else:
            messages.success(request, "Complément demandé à l'entreprise.")
            return redirect("aides_saf:versement", demande.pk)
    demande.refresh_from_db()
    return _page_saf(request, demande, status=400, complement_form=form)


@agent_requis(*ROLES_SAF)
@require_POST
def versement_refuser(request, dv_pk: int):
    demande = demande_versement_pour_saf(dv_pk)
    form = RefusForm(request.POST)
    if form.is_valid():
        try:
            services.demande_versement_refuser(
                demande_versement_id=demande.pk, par=request.user, motif=form.cleaned_data["motif"]
            )
        except ValidationError as erreur:
            _erreurs_dans(form, erreur)
        else:
            messages.success(request, "Demande refusée ; l'entreprise est informée.")
            return redirect("aides_saf:versement", demande.pk)
    demande.refresh_from_db()
    return _page_saf(request, demande, status=400, refus_form=form)


@agent_requis()
def versement_piece_saf(request, dv_pk: int, piece_pk: int):
    piece = get_object_or_404(
        PieceDemandeVersement.objects.exclude(demande_versement__etat=DemandeVersement.Etat.BROUILLON).select_related(
            "demande_versement__convention__etablissement__entreprise"
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
    return reponse_telechargement(request, piece)


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
    form = RapportDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.rapport_decider(
                convention_id=pk, par=request.user, valide=form.cleaned_data["valide"], motif=form.cleaned_data["motif"]
            )
        except ValidationError as erreur:
            _erreurs_dans(form, erreur)
        else:
            messages.success(request, "Décision enregistrée ; l'entreprise est informée.")
            return redirect("aides_saf:rapport", pk)
    return _page_rapport_saf(request, convention, status=400, form=form)


@agent_requis()
def rapport_preuve_saf(request, pk: int):
    rapport = get_object_or_404(
        RapportFinal.objects.exclude(etat="brouillon").exclude(preuve_publicite="").select_related("convention"),
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
    form = EcheancierForm(request.POST)
    if form.is_valid():
        try:
            services.echeancier_remboursement_generer(convention_id=pk, par=request.user, **form.cleaned_data)
        except ValidationError as erreur:
            _erreurs_dans(form, erreur)
        else:
            messages.success(request, "Échéancier de remboursement généré.")
            return redirect("aides_saf:remboursements", pk)
    return _page_remboursements(request, convention, status=400, echeancier_form=form)


@agent_requis(*ROLES_SAF)
@require_POST
def echeance_payee(request, pk: int, echeance_pk: int):
    convention = get_object_or_404(ConventionAide, pk=pk)
    echeance = get_object_or_404(EcheanceRemboursement, pk=echeance_pk, convention=convention)
    form = EcheancePayeeForm(request.POST)
    if form.is_valid():
        try:
            services.echeance_payer(echeance_id=echeance.pk, par=request.user, **form.cleaned_data)
        except ValidationError as erreur:
            _erreurs_dans(form, erreur)
        else:
            messages.success(request, f"Échéance n° {echeance.numero} enregistrée comme payée.")
            return redirect("aides_saf:remboursements", pk)
    return _page_remboursements(request, convention, status=400, paye_form=form)


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


# --- FEDER ----------------------------------------------------------------------------------------


def _page_operation(request, operation, *, status=200, erreur="", controle_form=None):
    from .forms_paiement import ControleFederForm

    acceptees = operation.convention.demandes_versement.filter(
        etat=DemandeVersement.Etat.ACCEPTEE, appel_feder__isnull=True
    )
    return render(
        request,
        "aides/saf/feder_operation.html",
        {
            "operation": operation,
            "appels": operation.appels.select_related("demande_versement").prefetch_related("lignes"),
            "controles": operation.controles.order_by("-le"),
            "acceptees": acceptees,
            "peut_gerer": request.user.a_role(*ROLES_SAF),
            "controle_form": controle_form or ControleFederForm(),
            "erreur": erreur,
        },
        status=status,
    )


def _operation(pk: int):
    from .models import OperationFeder

    return get_object_or_404(OperationFeder.objects.select_related("convention__etablissement__entreprise"), pk=pk)


@agent_requis()
def feder_operations(request):
    from .models import OperationFeder

    page = Paginator(
        OperationFeder.objects.select_related("convention__etablissement__entreprise").order_by("code_operation"), 50
    ).get_page(request.GET.get("page"))
    return render(request, "aides/saf/feder_operations.html", {"page": page})


@agent_requis()
def feder_operation(request, pk: int):
    operation = _operation(pk)
    # An operation is read as its convention: co-financed, so the FEDER service reads it too.
    exiger(request.user, "convention", "lire", cible=operation.convention)
    return _page_operation(request, operation)


@agent_requis(*ROLES_SAF)
@require_POST
def feder_appel_creer(request, pk: int):
    operation = _operation(pk)
    try:
        services.appel_de_fonds_creer(
            operation_id=operation.pk,
            demande_versement_id=int(request.POST.get("demande_versement") or 0),
            par=request.user,
        )
    except (ValidationError, DemandeVersement.DoesNotExist) as erreur:
        texte = " ".join(erreur.messages) if isinstance(erreur, ValidationError) else "Choisissez une demande acceptée."
        return _page_operation(request, operation, status=400, erreur=texte)
    messages.success(request, "Appel de fonds créé depuis la demande de versement.")
    return redirect("aides_saf:feder-operation", pk)


@agent_requis(*ROLES_SAF)
@require_POST
def feder_appel_avancer(request, pk: int, appel_pk: int):
    operation = _operation(pk)
    appel = get_object_or_404(operation.appels, pk=appel_pk)
    try:
        services.appel_de_fonds_avancer(appel_id=appel.pk, par=request.user, rejeter="rejeter" in request.POST)
    except ValidationError as erreur:
        return _page_operation(request, operation, status=400, erreur=" ".join(erreur.messages))
    messages.success(request, f"Appel de fonds n° {appel.numero} mis à jour.")
    return redirect("aides_saf:feder-operation", pk)


@agent_requis(*ROLES_SAF)
@require_POST
def feder_controle(request, pk: int):
    from .forms_paiement import ControleFederForm

    operation = _operation(pk)
    form = ControleFederForm(request.POST)
    if form.is_valid():
        try:
            services.controle_feder_enregistrer(operation_id=operation.pk, par=request.user, **form.cleaned_data)
        except ValidationError as erreur:
            _erreurs_dans(form, erreur)
        else:
            messages.success(request, "Contrôle enregistré.")
            return redirect("aides_saf:feder-operation", pk)
    return _page_operation(request, operation, status=400, controle_form=form)
