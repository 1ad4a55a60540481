from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from portal.acces import agent_requis

from .acces import peut_creer_revue, peut_modifier_affectations, peut_modifier_conventions
from .carte import carte_region, carte_region_svg, epci_situation
from .extensions import PAGE_EPCI, sections_rendre
from .filters import EPCIFilterSet
from .forms import CommuneTrouverForm
from .models import EPCI, RevueDeProjets
from .selectors import RECHERCHE_LONGUEUR_MAX, commune_resultat, communes_rechercher, epci_communes, epci_lister
from .selectors_conventions import affectations_epci, conventions_epci

EPCI_PAR_PAGE = 50


@require_GET
@cache_control(max_age=300)
def communes_recherche(request):
    """Commune autocompletion: `?q=` a name, postal code or INSEE code; the 10 closest communes."""
    texte = request.GET.get("q", "").strip()
    if not texte:
        return JsonResponse(
            {"erreur": "Saisissez le début du nom, le code postal ou le code INSEE d'une commune."}, status=400
        )
    if len(texte) > RECHERCHE_LONGUEUR_MAX:
        return JsonResponse(
            {
                "erreur": f"La recherche est limitée à {RECHERCHE_LONGUEUR_MAX} caractères "
                f"(vous en avez saisi {len(texte)})."
            },
            status=400,
        )
    return JsonResponse({"resultats": [commune_resultat(c) for c in communes_rechercher(texte)]})


@agent_requis()
def epci_liste(request):
    recherche = CommuneTrouverForm(request.GET if "commune" in request.GET else None)
    if recherche.is_bound and recherche.is_valid():
        commune = recherche.cleaned_data["commune"]
        url = reverse("territoires_agents:epci-detail", args=[commune.epci.siren])
        return redirect(f"{url}?commune={commune.code_insee}")

    filtres = EPCIFilterSet(request.GET, queryset=epci_lister())
    tri = filtres.tri_choisi
    page = Paginator(filtres.qs, EPCI_PAR_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "territoires/epci_liste.html",
        {
            "recherche": recherche,
            "suggestions": recherche.fields["commune"].suggestions if recherche.is_bound else [],
            "filtres": filtres.form,
            "departement": filtres.form.cleaned_data.get("departement"),
            "tri": dict(filtres.filters["tri"].extra["choices"])[tri],
            "page": page,
        },
    )


@agent_requis()
def epci_detail(request, siren: str):
    epci = get_object_or_404(EPCI.objects.defer("contour").prefetch_related("departements"), siren=siren)
    communes = list(epci_communes(epci))
    commune_demandee = next((c for c in communes if c.code_insee == request.GET.get("commune")), None)
    region = carte_region()
    situation = epci_situation(epci, carte=region)
    carte = carte_region_svg(
        {epci.siren: "epci-selection"},
        titre=f"Carte des EPCI des Hauts-de-France, {epci.nom} en couleur foncée",
        description=situation,
        carte=region,
    )
    return render(
        request,
        "territoires/epci_detail.html",
        {
            "epci": epci,
            "communes": communes,
            "commune_demandee": commune_demandee,
            "population_communes": sum(c.population for c in communes),
            "carte": carte,
            "situation": situation,
            "conventions": conventions_epci(epci),
            "affectations": affectations_epci(epci),
            "peut_modifier_conventions": peut_modifier_conventions(request.user, epci),
            "peut_modifier_affectations": peut_modifier_affectations(request.user),
            "derniere_revue": RevueDeProjets.objects.passees().filter(epcis=epci).order_by("-date").first(),
            "prochaine_revue": RevueDeProjets.objects.a_venir().filter(epcis=epci).order_by("date").first(),
            "peut_creer_revue": peut_creer_revue(request.user, [epci]),
            "sections": sections_rendre(PAGE_EPCI, epci, request),
        },
    )
