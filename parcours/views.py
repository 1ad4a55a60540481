import os

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm.models import Sollicitation
from portal.acces import agent_requis
from portal.documents import document_reponse
from portal.formulaires import erreurs_vers_formulaire
from portal.limites import limite_requise
from portal.roles import Role

from . import services
from .forms import ContactForm, EtapeFormSet, ParcoursTypeForm, ProfilForm
from .models import DemandeDeContact, ParcoursType, SyntheseParcours
from .selectors import proposition_calculer

# The published catalogue is kept per process while unchanged (see selectors._CacheCatalogue); 0 disables it.
DUREE_CACHE_CATALOGUE = float(os.environ.get("PARCOURS_CACHE_CATALOGUE_SECONDES", "300"))
QUESTIONS = ("stade", "taille", "effectif", "naf", "statuts", "commune", "projets", "maturite")


def _formulaire_profil(donnees: QueryDict) -> ProfilForm | None:
    """A bound form when the address carries answers, else None (the questions, blank)."""
    if not any(cle in donnees for cle in QUESTIONS):
        return None
    return ProfilForm(donnees)


def _proposition_ou_formulaire(request, donnees: QueryDict):
    """(form, proposition): proposition is None when the answers are missing, invalid or outside the region."""
    form = _formulaire_profil(donnees)
    if form is None or not form.is_valid() or form.hors_region:
        return form, None
    proposition = proposition_calculer(
        profil=form.profil(), commune=form.commune_trouvee, duree_cache=DUREE_CACHE_CATALOGUE
    )
    return form, proposition


@require_GET
def questions(request):
    """The questions, and once answered (commune at least) the recommended parcours, on /parcours/?…"""
    form, proposition = _proposition_ou_formulaire(request, request.GET)
    if form is None:
        return render(request, "parcours/questions.html", {"form": ProfilForm()})
    if form.hors_region:
        return render(request, "parcours/hors_region.html", {"form": form, "saisie": form.cleaned_data["commune"]})
    if proposition is None:
        return render(request, "parcours/questions.html", {"form": form}, status=200)
    canonique = proposition.profil.querystring()
    if request.GET.urlencode() != canonique:
        # The permalink names the commune by its INSEE code, whatever was typed.
        return HttpResponseRedirect(f"{reverse('parcours:questions')}?{canonique}")
    return render(request, "parcours/resultat.html", {"p": proposition, "form": form, "qs": canonique})


@require_http_methods(["GET", "POST"])
@limite_requise("parcours_contact")
def contact(request):
    """« Être contacté par mon conseiller »: the answers come in the address, the person in the form."""
    form_profil, proposition = _proposition_ou_formulaire(request, request.GET)
    if proposition is None:
        messages.warning(request, "Répondez d'abord aux questions pour que nous sachions qui peut vous aider.")
        return redirect("parcours:questions")
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        lien = request.build_absolute_uri(f"{reverse('parcours:questions')}?{proposition.profil.querystring()}")
        try:
            demande, _ = services.contact_demander(
                jeton=d["jeton"],
                proposition=proposition,
                lien=lien,
                nom=d["nom"],
                email=d["email"],
                telephone=d["telephone"],
                entreprise=d["entreprise"],
                message=d["message"],
                consentement=d["consentement"],
            )
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
        else:
            return redirect("parcours:contact-envoye", jeton=demande.jeton)
    return render(
        request, "parcours/contact.html", {"p": proposition, "form": form, "qs": proposition.profil.querystring()}
    )


@require_GET
def contact_envoye(request, jeton):
    demande = get_object_or_404(DemandeDeContact.objects.select_related("conseiller", "parcours"), jeton=jeton)
    # Say who really received the request (the CRM's routing), never more.
    sollicitation = (
        Sollicitation.objects.select_related("direction").filter(pk=demande.sollicitation_id).first()
        if demande.sollicitation_id
        else None
    )
    acheminement = sollicitation.acheminement if sollicitation else None
    conseiller = None
    if sollicitation and demande.conseiller_id and sollicitation.assignes.filter(pk=demande.conseiller_id).exists():
        conseiller = demande.conseiller
    return render(
        request,
        "parcours/contact_envoye.html",
        {
            "demande": demande,
            "acheminement": acheminement,
            "direction": sollicitation.direction.nom if sollicitation else "",
            "conseiller": conseiller,
        },
    )


# --- PDF summary --------------------------------------------------------------------------------


@require_POST
@limite_requise("parcours_pdf")
def synthese_demander(request):
    form = _formulaire_profil(QueryDict(request.POST.get("profil", "")))
    if form is None or not form.is_valid() or form.hors_region:
        messages.error(request, "Vos réponses sont incomplètes : répondez aux questions avant de télécharger.")
        return redirect("parcours:questions")
    synthese = services.synthese_demander(profil=form.profil())
    return redirect("parcours:synthese", pk=synthese.pk)


@never_cache
@require_GET
def synthese(request, pk):
    synthese = get_object_or_404(SyntheseParcours.objects.select_related("document"), pk=pk)
    return render(request, "parcours/synthese.html", {"synthese": synthese, "document": synthese.document})


@require_GET
def synthese_fichier(request, pk):
    synthese = get_object_or_404(SyntheseParcours.objects.select_related("document"), pk=pk)
    return document_reponse(request, synthese.document, nom="mon-parcours-hauts-de-france.pdf")


# --- Staff: parcours templates ------------------------------------------------------------------


@agent_requis()
def agents_liste(request):
    qs = ParcoursType.objects.select_related("direction").order_by("ordre", "nom")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "parcours/agents/liste.html",
        {"page": page, "peut_modifier": request.user.a_role(Role.PILOTAGE)},
    )


@agent_requis()
def agents_detail(request, pk: int):
    parcours = get_object_or_404(ParcoursType.objects.select_related("direction"), pk=pk)
    etapes = parcours.etapes.prefetch_related("dispositifs").order_by("ordre", "pk")
    return render(
        request,
        "parcours/agents/detail.html",
        {"parcours": parcours, "etapes": etapes, "peut_modifier": request.user.a_role(Role.PILOTAGE)},
    )


def _formulaire_parcours(request, parcours: ParcoursType | None):
    form = ParcoursTypeForm(request.POST or None, instance=parcours)
    etapes = EtapeFormSet(request.POST or None, instance=parcours or ParcoursType(), prefix="etapes")
    if request.method == "POST" and form.is_valid() and etapes.is_valid():
        parcours = services.parcours_type_enregistrer(formulaire=form, etapes=etapes)
        messages.success(request, f"Le parcours « {parcours.nom} » est enregistré.")
        return redirect("parcours_agents:detail", pk=parcours.pk)
    return render(request, "parcours/agents/formulaire.html", {"form": form, "etapes": etapes, "parcours": parcours})


@agent_requis(Role.PILOTAGE)
@require_http_methods(["GET", "POST"])
def agents_creer(request):
    return _formulaire_parcours(request, None)


@agent_requis(Role.PILOTAGE)
@require_http_methods(["GET", "POST"])
def agents_modifier(request, pk: int):
    return _formulaire_parcours(request, get_object_or_404(ParcoursType, pk=pk))


@agent_requis(Role.PILOTAGE)
@require_http_methods(["GET", "POST"])
def agents_supprimer(request, pk: int):
    parcours = get_object_or_404(ParcoursType, pk=pk)
    if request.method == "POST":
        services.parcours_type_supprimer(parcours=parcours)
        messages.success(request, f"Le parcours « {parcours.nom} » est supprimé.")
        return redirect("parcours_agents:liste")
    return render(request, "parcours/agents/supprimer.html", {"parcours": parcours})
