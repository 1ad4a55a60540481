"""Alerts on a catalogue search: subscribe, confirm, open, unsubscribe, manage (signed links)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from aides.catalogue.forms.alertes import AlerteForm, FrequenceForm
from aides.catalogue.models.alerte import Alerte
from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.services import alertes as services
from aides.catalogue.views.catalogue import parametres_recherche
from portal.formulaires import erreurs_vers_formulaire
from portal.limites import limite_requise


def _message(request: HttpRequest, titre: str, texte: str, *, lien: tuple[str, str] | None = None, statut=200):
    return render(request, "aides/alertes/message.html", {"titre": titre, "texte": texte, "lien": lien}, status=statut)


@require_http_methods(["GET", "POST"])
@limite_requise("alertes_abonnement")
def alerte_nouvelle(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = AlerteForm(request.POST)
        requete = request.POST.get("requete", "")
    else:
        requete = parametres_recherche(request)
        requete.pop("tri", None)
        email = request.user.email if request.user.is_authenticated else ""
        form = AlerteForm(initial={"email": email})
    try:
        requete = services.requete_normaliser(requete)
    except ValidationError as erreur:
        return _message(
            request, "Recherche invalide", erreur.messages[0], lien=("Revenir au catalogue", reverse("aides:catalogue"))
        )
    form.initial["requete"] = requete
    if request.method == "POST" and form.is_valid():
        try:
            services.alerte_creer(
                email=form.cleaned_data["email"],
                requete=requete,
                frequence=form.cleaned_data["frequence"],
                utilisateur=request.user if request.user.is_authenticated else None,
            )
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
        else:
            return _envoyee(request, form.cleaned_data["email"])
    contexte = {
        "form": form,
        "requete": requete,
        "libelle": services.requete_libelle(requete),
        "nombre": services.dispositifs_de_la_recherche(requete).count(),
    }
    return render(request, "aides/alertes/nouvelle.html", contexte, status=400 if form.errors else 200)


def _envoyee(request: HttpRequest, email: str) -> HttpResponse:
    return _message(
        request,
        "Confirmez votre alerte",
        f"Un message vient d'être envoyé à {email}. Ouvrez le lien qu'il contient (valable 7 jours) pour "
        "confirmer votre alerte : sans confirmation, rien ne vous sera envoyé et l'adresse sera effacée.",
        lien=("Revenir au catalogue", reverse("aides:catalogue")),
    )


@require_http_methods(["GET", "POST"])
def alerte_confirmer(request: HttpRequest, jeton: str) -> HttpResponse:
    alerte = services.alerte_par_jeton(jeton, sel=services.SEL_CONFIRMER, max_age=services.DELAI_CONFIRMATION)
    if alerte is None:
        raise Http404("Cette alerte n'existe plus.")
    if request.method == "POST":
        services.alerte_confirmer(alerte=alerte)
        return _message(
            request,
            "Votre alerte est confirmée",
            f"Vous recevrez {alerte.get_frequence_display().lower()} les nouvelles aides de la recherche "
            f"{services.requete_libelle(alerte.requete)}, et celles qui ferment dans les 15 jours.",
            lien=("Gérer mes alertes", reverse("aides:alertes-gerer", args=[services.jeton_gerer(alerte.email)])),
        )
    return render(
        request,
        "aides/alertes/confirmer.html",
        {"alerte": alerte, "libelle": services.requete_libelle(alerte.requete)},
    )


@csrf_exempt  # RFC 8058: the mail provider posts « List-Unsubscribe=One-Click » without a CSRF token
@require_http_methods(["GET", "POST"])
def alerte_desinscrire(request: HttpRequest, jeton: str) -> HttpResponse:
    alerte = services.alerte_par_jeton(jeton)
    if request.method == "POST" or alerte is None:
        if alerte is not None:
            services.alerte_supprimer(alerte=alerte)
        return _message(
            request,
            "Vous êtes désinscrit",
            "Vous ne recevrez plus cette alerte, et votre adresse n'est plus conservée pour elle.",
            lien=("Revenir au catalogue", reverse("aides:catalogue")),
        )
    return render(
        request,
        "aides/alertes/desinscrire.html",
        {"alerte": alerte, "libelle": services.requete_libelle(alerte.requete)},
    )


def alerte_ouvrir(request: HttpRequest, jeton: str) -> HttpResponse:
    """A link of a digest: counts as an opening, then goes to the search or to one aid (`vers`)."""
    alerte = services.alerte_par_jeton(jeton)
    if alerte is None:
        return redirect("aides:catalogue")
    services.alertes_ouvertes(alerte=alerte)
    slug = request.GET.get("vers", "")
    if slug and Dispositif.objects.publies().filter(slug=slug).exists():
        return redirect("aides:detail", slug)
    return redirect(reverse("aides:catalogue") + (f"?{alerte.requete}" if alerte.requete else ""))


@require_http_methods(["GET", "POST"])
def alertes_gerer(request: HttpRequest, jeton: str) -> HttpResponse:
    email = services.email_par_jeton(jeton)
    if request.method == "POST":
        # Only the alerts of the signed address: any other id is a 404.
        try:
            pk = int(request.POST.get("alerte", ""))
        except ValueError as erreur:
            raise Http404 from erreur
        alerte = Alerte.objects.filter(email=email, pk=pk).first()
        if alerte is None:
            raise Http404("Alerte introuvable.")
        if request.POST.get("action") == "supprimer":
            services.alerte_supprimer(alerte=alerte)
        else:
            form = FrequenceForm(request.POST)
            if form.is_valid():
                services.alerte_modifier(alerte=alerte, frequence=form.cleaned_data["frequence"])
        return redirect("aides:alertes-gerer", jeton)
    services.alertes_ouvertes(email=email)
    lignes = [
        {
            "alerte": alerte,
            "libelle": services.requete_libelle(alerte.requete),
            "lien": reverse("aides:catalogue") + (f"?{alerte.requete}" if alerte.requete else ""),
        }
        for alerte in Alerte.objects.filter(email=email).order_by("cree_le")[: services.ALERTES_MAX_PAR_EMAIL]
    ]
    return render(
        request,
        "aides/alertes/gerer.html",
        {"email": email, "lignes": lignes, "frequences": Alerte.Frequence.choices},
    )


@login_required
def mes_alertes(request: HttpRequest) -> HttpResponse:
    """From the company space: the alerts of the account's own address."""
    return redirect("aides:alertes-gerer", services.jeton_gerer(request.user.email))
