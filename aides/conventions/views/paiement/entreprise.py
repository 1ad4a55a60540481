from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aides.conventions.acces import convention_de_l_entreprise
from aides.conventions.actions import actions_demande_versement, actions_rapport, peut_demander
from aides.conventions.forms.paiement import (
    DemandeVersementForm,
    LignesFormSet,
    RapportForm,
    ReponseVersementForm,
    TrancheForm,
)
from aides.conventions.models.paiement import (
    DemandeVersement,
    RapportFinal,
)
from aides.conventions.services import paiement as services
from aides.demandes.acces import entreprise_requise
from portal.documents import document_reponse
from portal.formulaires import erreurs_vers_formulaire, formulaire_soumettre

LIGNES_VIDES = 3


def _ecriture_autorisee(request) -> None:
    if not peut_demander(request.membre):
        raise PermissionDenied(
            "Votre rôle (lecteur, ou rattachement à vérifier) permet de consulter les versements, pas de les demander."
        )


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
            "pieces": demande.pieces.select_related("document"),
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
        erreurs_vers_formulaire(form, erreur)
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
    return formulaire_soumettre(
        request,
        form,
        lambda d: services.demande_versement_repondre(
            demande_versement_id=demande.pk,
            par=request.user,
            membre=request.membre,
            texte=d.get("texte") or "",
            pieces=form.fichiers(),
        ),
        succes="Réponse enregistrée. Vérifiez l'état des dépenses, puis redéposez la demande.",
        suite=reverse("espace:versement", args=[pk, demande.pk]),
        page=lambda form: _page_versement(request, demande, status=400, reponse_form=form),
    )


@entreprise_requise()
def versement_piece(request, pk: int, dv_pk: int, piece_pk: int):
    demande = demande_versement_de_l_entreprise(request, pk, dv_pk)
    piece = get_object_or_404(demande.pieces.select_related("document"), pk=piece_pk)
    return document_reponse(request, piece.document, nom=piece.nom_original)


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
    return document_reponse(request, rapport.preuve, nom=rapport.preuve_nom or "preuve")


@entreprise_requise()
def rapport_preuve(request, pk: int):
    convention = convention_de_l_entreprise(request, pk)
    rapport = get_object_or_404(
        RapportFinal.objects.filter(preuve__isnull=False).select_related("preuve"), convention=convention
    )
    return _preuve(request, rapport)
