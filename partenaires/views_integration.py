"""Embeds for partner and EPCI sites: the catalogue of a territory or a theme, and « Être contacté ».

Each embed URL names its partner site (`/integration/<clé>/…`); the page may be framed by that
site's origin only (CSP frame-ancestors replaced for these views, X-Frame-Options exempted here
and nowhere else). The Région's name stays visible in the frame.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt

from aides.catalogue.referentiels import Thematique
from aides.models import Dispositif
from crm import services as crm_services
from crm.models import Sollicitation
from portal.formulaires import erreurs_vers_formulaire
from portal.limites import limite_requise
from territoires.models import EPCI

from .filters import CatalogueIntegreFilterSet
from .forms import SollicitationIntegreeForm
from .models import ProvenanceIntegration, SiteIntegration
from .selectors import dispositifs_couvrant_epci

PAR_PAGE = 10
POST = ("POST",)


def integrable(vue):
    """Find the partner site of the URL (404 when unknown or inactive); let only its origin frame us."""

    @xframe_options_exempt
    @wraps(vue)
    def enveloppe(request, cle: str, *args, **kwargs):
        site = get_object_or_404(SiteIntegration, cle=cle, actif=True)
        reponse = vue(request, site, *args, **kwargs)
        reponse._csp_replace = {"frame-ancestors": [site.origine]}
        return reponse

    return enveloppe


@integrable
def catalogue(request, site: SiteIntegration):
    epci = None
    siren = request.GET.get("epci") or (site.epci.siren if site.epci_id else "")
    if siren:
        epci = EPCI.objects.filter(siren=siren).first()
    dispositifs = dispositifs_couvrant_epci(epci) if epci else Dispositif.objects.publies()
    filtres = CatalogueIntegreFilterSet(request.GET, queryset=dispositifs.ouverts())
    theme = filtres.theme_choisi
    page = Paginator(filtres.qs.order_by("nom").only("nom", "slug", "resume"), PAR_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "partenaires/integration/catalogue.html",
        {"site": site, "page": page, "epci": epci, "theme": Thematique(theme).label if theme else ""},
    )


def _envoye_d_ailleurs(request) -> bool:
    """A POST whose browser says it was sent by a page of another site, not by our form in the frame
    (whose document is ours, whatever site frames it): refused, so that no other page can post it
    with its visitors' addresses. Without the header (not a browser), honeypot and limit apply."""
    origine = request.headers.get("Origin")
    return request.method == "POST" and origine is not None and origine != f"{request.scheme}://{request.get_host()}"


@integrable
@csrf_exempt  # an anonymous form in a cross-site frame: no session to ride; origin, honeypot and limit instead
@limite_requise("integration_contact")
def contact(request, site: SiteIntegration):
    if _envoye_d_ailleurs(request):
        raise PermissionDenied("Envoi refusé : ce formulaire s'envoie depuis le cadre de la Région Hauts-de-France.")
    form = SollicitationIntegreeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        donnees = form.cleaned_data
        try:
            with transaction.atomic():
                sollicitation = crm_services.sollicitation_creer(origine=Sollicitation.Origine.FORMULAIRE, **donnees)
                # The key names the site, and only its origin may frame this page (frame-ancestors).
                ProvenanceIntegration.objects.create(sollicitation=sollicitation, site=site, origine=site.origine)
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
        else:
            return redirect("integration:contact-merci", cle=site.cle)
    return render(
        request,
        "partenaires/integration/contact.html",
        {"site": site, "form": form, "suggestions": form.fields["commune"].suggestions},
    )


@integrable
def contact_merci(request, site: SiteIntegration):
    return render(request, "partenaires/integration/merci.html", {"site": site})
