"""Staff pages of project reviews: list, plan, page of one review with its agenda (crm.revues)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render

from portal.acces import agent_requis
from portal.formulaires import erreurs_vers_formulaire
from portal.models import User
from territoires.acces import peut_creer_revue, peut_modifier_revue, revue_obtenir
from territoires.extensions import PAGE_REVUE, section_rendre, sections_rendre
from territoires.models import EPCI, RevueDeProjets

from . import services_revues
from .filters import RevueFilterSet
from .forms_revues import RevueForm, RevueModifierForm
from .revues import section_revue

REVUES_PAR_PAGE = 25


def _revues_avec_details():
    return RevueDeProjets.objects.prefetch_related(
        Prefetch("epcis", queryset=EPCI.objects.only("pk", "siren", "nom").order_by("nom")),
        Prefetch("participants_internes", queryset=User.objects.select_related("direction").order_by("last_name")),
    )


@agent_requis()
def revues_liste(request):
    filtres = RevueFilterSet(request.GET, queryset=_revues_avec_details().order_by("-date", "-heure", "-pk"))
    qs = filtres.qs
    page = Paginator(qs, REVUES_PAR_PAGE).get_page(request.GET.get("page"))
    parametres = request.GET.copy()
    parametres.pop("page", None)
    return render(
        request,
        "crm/revues/liste.html",
        {
            "filtres": filtres.form,
            "periode": dict(RevueFilterSet.PERIODES)[filtres.periode_choisie],
            "page": page,
            "parametres": parametres.urlencode(),
            "peut_creer": peut_creer_revue(request.user),
        },
    )


def _valeurs_initiales(request) -> dict:
    """Prefill from `?suite=<pk>` (the next review of a series) or `?epci=<siren>`."""
    initial = {}
    suite = request.GET.get("suite", "")
    if suite.isdigit():
        precedente = _revues_avec_details().filter(pk=int(suite)).first()
        if precedente is not None:
            initial = {
                "date": precedente.prochaine_date_suggeree,
                "heure": precedente.heure,
                "lieu": precedente.lieu,
                "epcis": list(precedente.epcis.all()),
                "participants_internes": list(precedente.participants_internes.all()),
                "participants_partenaires": precedente.participants_partenaires,
            }
    elif request.GET.get("epci"):
        initial["epcis"] = list(EPCI.objects.filter(siren=request.GET["epci"]).only("pk"))
    return initial


@agent_requis()
def revue_creer(request):
    if not peut_creer_revue(request.user):
        raise PermissionDenied("Seuls le pilotage et les chargés de mission affectés à un EPCI planifient une revue.")
    form = RevueForm(request.POST or None, initial=_valeurs_initiales(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            revue = services_revues.revue_creer(
                par=request.user,
                epcis=list(d["epcis"]),
                participants_internes=list(d["participants_internes"]),
                date=d["date"],
                heure=d["heure"],
                lieu=d["lieu"],
                participants_partenaires=d["participants_partenaires"],
            )
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
        else:
            messages.success(request, f"{revue} planifiée. Ajoutez maintenant les entreprises à l'ordre du jour.")
            return redirect("crm_agents:revue-detail", pk=revue.pk)
    return render(request, "crm/revues/formulaire.html", {"form": form, "revue": None})


@agent_requis()
def revue_modifier(request, pk: int):
    revue = revue_obtenir(request, pk, pour_modifier=True)
    initial = {
        "date": revue.date,
        "heure": revue.heure,
        "lieu": revue.lieu,
        "epcis": list(revue.epcis.all()),
        "participants_internes": list(revue.participants_internes.all()),
        "participants_partenaires": revue.participants_partenaires,
        "statut": revue.statut,
    }
    form = RevueModifierForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services_revues.revue_modifier(
                revue=revue,
                par=request.user,
                epcis=list(d["epcis"]),
                participants_internes=list(d["participants_internes"]),
                statut=d["statut"],
                date=d["date"],
                heure=d["heure"],
                lieu=d["lieu"],
                participants_partenaires=d["participants_partenaires"],
            )
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
        else:
            messages.success(request, "Revue de projets enregistrée.")
            return redirect("crm_agents:revue-detail", pk=revue.pk)
    return render(request, "crm/revues/formulaire.html", {"form": form, "revue": revue})


def revue_page(request, revue: RevueDeProjets, *, formulaires: dict | None = None):
    """The review page; the actions on its agenda call it too, with the form they rejected
    (`formulaires`), to show it again next to its errors."""
    revue = _revues_avec_details().get(pk=revue.pk)
    suivante = (
        RevueDeProjets.objects.filter(epcis__in=revue.epcis.all(), date__gt=revue.date)
        .exclude(pk=revue.pk)
        .order_by("date")
        .first()
    )
    return render(
        request,
        "crm/revues/detail.html",
        {
            "revue": revue,
            "suivante": suivante,
            "peut_modifier": peut_modifier_revue(request.user, revue),
            "peut_creer": peut_creer_revue(request.user),
            # The CRM's own section first, with the rejected forms; then what other apps register.
            "sections": [section_rendre(section_revue(revue, request, formulaires), request)]
            + sections_rendre(PAGE_REVUE, revue, request),
            "formulaire_en_erreur": bool(formulaires),
        },
    )


@agent_requis()
def revue_detail(request, pk: int):
    return revue_page(request, revue_obtenir(request, pk))
