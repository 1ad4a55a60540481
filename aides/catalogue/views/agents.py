"""Staff pages of the catalogue (/agents/aides/): every agent reads; instructeurs and pilotage write."""

from datetime import date, datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, TextChoices
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from aides.catalogue.filters import DispositifAgentsFilterSet
from aides.catalogue.forms.dispositif import DispositifForm
from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.referentiels import Nature, Operateur, Public, RegimeAide, Stade, Thematique
from aides.catalogue.rendu import markdown_en_html
from aides.catalogue.services import dispositif as services
from portal.acces import agent_requis
from portal.formulaires import erreurs_vers_formulaire
from portal.models import Direction
from portal.roles import Role
from portal.templatetags.portail import format_euros
from territoires.extensions import PAGE_DISPOSITIF, sections_rendre

ROLES_EDITION = (Role.INSTRUCTEUR, Role.PILOTAGE)
PAR_PAGE = 25
HISTORIQUE_MAX = 50

# --- Reading helpers ------------------------------------------------------------------------------


def dispositif_ou_404(pk: int) -> Dispositif:
    """The one getter of the staff pages: every agent may read every dispositif."""
    return get_object_or_404(Dispositif.objects.select_related("direction"), pk=pk)


class Calendrier(TextChoices):
    """Where a dispositif stands in its calendar; templates ask `est_cloture`, `est_a_venir`."""

    OUVERT = "ouvert", "Ouvert"
    A_VENIR = "à venir", "À venir"
    CLOTURE = "clôturé", "Clôturé"

    @property
    def est_cloture(self) -> bool:
        return self == Calendrier.CLOTURE

    @property
    def est_a_venir(self) -> bool:
        return self == Calendrier.A_VENIR


def etat_calendrier(dispositif: Dispositif, jour: date | None = None) -> Calendrier:
    """« ouvert », « à venir » or « clôturé », from the dates alone: nobody has to close an aid."""
    jour = jour or timezone.localdate()
    if dispositif.date_cloture and dispositif.date_cloture < jour:
        return Calendrier.CLOTURE
    if dispositif.date_ouverture and dispositif.date_ouverture > jour:
        return Calendrier.A_VENIR
    return Calendrier.OUVERT


def libelles(choix, codes) -> list[str]:
    table = dict(choix.choices)
    return [str(table.get(code, code)) for code in codes]


def fiche(dispositif: Dispositif) -> dict:
    """What a company would read about the dispositif, ready for the templates."""
    d = dispositif
    return {
        "description_html": markdown_en_html(d.description),
        "thematiques": libelles(Thematique, d.thematiques),
        "nature": Nature(d.nature).label if d.nature in Nature.values else d.nature,
        "publics": libelles(Public, d.publics),
        "stades": libelles(Stade, d.stades),
        "operateur": d.operateur_nom or Operateur(d.operateur).label,
        "regime": RegimeAide(d.regime).label if d.regime in RegimeAide.values else d.regime,
        "departements": list(d.departements.all()),
        "epcis": list(d.epcis.only("pk", "nom", "siren")),
        "etat": etat_calendrier(d),
    }


def dispositifs_liste():
    return (
        Dispositif.objects.select_related("direction")
        .annotate(nb_departements=Count("departements", distinct=True), nb_epcis=Count("epcis", distinct=True))
        .order_by("nom", "pk")
    )


# --- History --------------------------------------------------------------------------------------

TYPES_HISTORIQUE = {"+": "Création", "~": "Modification", "-": "Suppression"}


def libelle_champ(champ) -> str:
    """« EPCI couverts », not « Epci couverts » (str.capitalize() lowers the rest)."""
    nom = str(champ.verbose_name)
    return nom[:1].upper() + nom[1:]


def valeur_lisible(champ, valeur, directions: dict[int, str]) -> str:
    if valeur is None or valeur == "" or valeur == []:
        return "—"
    if champ.name == "direction":
        return directions.get(valeur, str(valeur))
    if isinstance(champ, ArrayField):
        choix = dict(champ.base_field.choices or [])
        return ", ".join(str(choix.get(v, v)) for v in valeur)
    if champ.choices:
        return str(dict(champ.choices).get(valeur, valeur))
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, datetime):
        return date_format(timezone.localtime(valeur), "d/m/Y H:i")
    if isinstance(valeur, date):
        return date_format(valeur, "d/m/Y")
    if isinstance(valeur, Decimal):
        if champ.name.startswith("montant"):
            return format_euros(valeur)
        return f"{valeur.normalize():f}".replace(".", ",") + "\u00a0%"
    texte = str(valeur)
    return texte if len(texte) <= 120 else texte[:119] + "…"


COUVERTURE_HISTORISEE = ("departements", "epcis")


def couvertures_des_versions(versions: list) -> dict[str, dict[int, dict]]:
    """For each m2m field of the history, {history_id: {related pk: name}}: one query per field,
    with the names joined (a territory deleted since keeps its id)."""
    ids = [version.history_id for version in versions]
    couvertures: dict[str, dict[int, dict]] = {}
    for nom in COUVERTURE_HISTORISEE:
        lignes_m2m = getattr(Dispositif.historique.model, nom).model.objects.filter(history_id__in=ids)
        cible = "departement" if nom == "departements" else "epci"
        par_version: dict[int, dict] = {history_id: {} for history_id in ids}
        for history_id, pk, libelle in lignes_m2m.values_list("history_id", f"{cible}_id", f"{cible}__nom"):
            par_version[history_id][pk] = libelle or f"n° {pk}"
        couvertures[nom] = par_version
    return couvertures


def ecart_couverture(avant: dict, apres: dict) -> str:
    """« + CA Amiens Métropole, − CC du Vimeu », empty when nothing changed."""
    ajouts = sorted(apres[pk] for pk in apres.keys() - avant.keys())
    retraits = sorted(avant[pk] for pk in avant.keys() - apres.keys())
    return ", ".join([*(f"+ {nom}" for nom in ajouts), *(f"− {nom}" for nom in retraits)])


def historique(dispositif: Dispositif, limite: int = HISTORIQUE_MAX) -> list[dict]:
    """Who changed what and when, newest first, field by field and territory by territory
    (five queries whatever the length: versions, directions, and the coverage of each m2m field)."""
    enregistrements = list(
        dispositif.historique.select_related("history_user").order_by("-history_date", "-history_id")[: limite + 1]
    )
    directions = dict(Direction.objects.values_list("pk", "code"))
    couvertures = couvertures_des_versions(enregistrements)
    lignes = []
    for rang, enregistrement in enumerate(enregistrements[:limite]):
        precedent = enregistrements[rang + 1] if rang + 1 < len(enregistrements) else None
        changements = []
        if precedent is not None and enregistrement.history_type == "~":
            # diff_against() would query the m2m of both versions each time: they are prefetched above.
            ecarts = enregistrement.diff_against(precedent, excluded_fields=COUVERTURE_HISTORISEE)
            for ecart in ecarts.changes:
                champ = Dispositif._meta.get_field(ecart.field)
                changements.append(
                    {
                        "champ": libelle_champ(champ),
                        "avant": valeur_lisible(champ, ecart.old, directions),
                        "apres": valeur_lisible(champ, ecart.new, directions),
                    }
                )
            for nom in COUVERTURE_HISTORISEE:
                ecart = ecart_couverture(
                    couvertures[nom][precedent.history_id], couvertures[nom][enregistrement.history_id]
                )
                if ecart:
                    champ = Dispositif._meta.get_field(nom)
                    changements.append({"champ": libelle_champ(champ), "ecart": ecart})
        lignes.append(
            {
                "date": enregistrement.history_date,
                "auteur": enregistrement.history_user,
                "action": enregistrement.history_change_reason or TYPES_HISTORIQUE[enregistrement.history_type],
                "changements": changements,
            }
        )
    return lignes


# --- Pages ----------------------------------------------------------------------------------------


@agent_requis()
def dispositif_liste(request):
    filtres = DispositifAgentsFilterSet(request.GET, queryset=dispositifs_liste())
    statut, q = filtres.criteres()
    page = Paginator(filtres.qs, PAR_PAGE).get_page(request.GET.get("page"))
    for dispositif in page:
        dispositif.etat = etat_calendrier(dispositif)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "aides/agents/liste.html",
        {
            "page": page,
            "statut": statut,
            "q": q,
            "filtres": filtres.form,
            "params_pagination": params.urlencode(),
            "peut_modifier": request.user.a_role(*ROLES_EDITION),
        },
    )


@agent_requis()
def dispositif_detail(request, pk: int):
    dispositif = dispositif_ou_404(pk)
    return render(
        request,
        "aides/agents/detail.html",
        {
            "dispositif": dispositif,
            "fiche": fiche(dispositif),
            "conventions": dispositif.conventions_territoriales.select_related("epci")
            .defer("epci__contour")
            .order_by("epci__nom", "date_debut"),
            "historique": historique(dispositif),
            "historique_max": HISTORIQUE_MAX,
            "peut_modifier": request.user.a_role(*ROLES_EDITION),
            "Statut": Dispositif.Statut,
            # Sections other apps add (pilotage: the dispositif's figures).
            "sections": sections_rendre(PAGE_DISPOSITIF, dispositif, request),
        },
    )


@agent_requis()
def dispositif_apercu(request, pk: int):
    dispositif = dispositif_ou_404(pk)
    return render(request, "aides/agents/apercu.html", {"dispositif": dispositif, "fiche": fiche(dispositif)})


def _formulaire(request, form: DispositifForm, dispositif: Dispositif | None):
    return render(request, "aides/agents/formulaire.html", {"form": form, "dispositif": dispositif})


@agent_requis(*ROLES_EDITION)
def dispositif_creer(request):
    form = DispositifForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dispositif = services.dispositif_creer(par=request.user, **form.cleaned_data)
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
        else:
            messages.success(request, f"Le dispositif « {dispositif.nom} » est créé (brouillon).")
            return redirect("aides_agents:detail", pk=dispositif.pk)
    return _formulaire(request, form, None)


@agent_requis(*ROLES_EDITION)
def dispositif_modifier(request, pk: int):
    dispositif = dispositif_ou_404(pk)
    if dispositif.statut == Dispositif.Statut.ARCHIVE:
        messages.error(request, "Un dispositif archivé ne peut plus être modifié : remettez-le d'abord en brouillon.")
        return redirect("aides_agents:detail", pk=dispositif.pk)
    form = DispositifForm(request.POST or None, instance=dispositif)
    if request.method == "POST" and form.is_valid():
        try:
            dispositif = services.dispositif_modifier(dispositif=dispositif, par=request.user, **form.cleaned_data)
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
        else:
            messages.success(request, "Les modifications sont enregistrées.")
            return redirect("aides_agents:detail", pk=dispositif.pk)
    return _formulaire(request, form, dispositif)


def _action(service, message: str):
    @require_POST
    @agent_requis(*ROLES_EDITION)
    def vue(request, pk: int):
        dispositif = dispositif_ou_404(pk)
        try:
            service(dispositif=dispositif, par=request.user)
        except ValidationError as erreur:
            for texte in erreur.messages:
                messages.error(request, texte)
        else:
            messages.success(request, message)
        return redirect("aides_agents:detail", pk=dispositif.pk)

    return vue


dispositif_publier = _action(services.dispositif_publier, "Le dispositif est publié dans le catalogue.")
dispositif_depublier = _action(services.dispositif_depublier, "Le dispositif est revenu à l'état de brouillon.")
dispositif_archiver = _action(services.dispositif_archiver, "Le dispositif est archivé.")
