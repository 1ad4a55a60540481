"""Demo catalogue: ~45 dispositifs written for this project (fictitious amounts and contacts).

They are inspired by the schemes the Région names in its 2022 diagnosis (Prêt croissance TPE,
Booster TPE, REHA, MOBI, INAC, Starter, Maison des Entrepreneurs, Proch'emploi, aid to innovative
and industrial start-ups, Team France Export, implantation, the proposed « Pass senior entreprise »)
but none of the texts, amounts or rules below is the Région's official wording: every name ends
with « (démo) » and every row has `demo=True`.

Idempotent: a dispositif is found again by its slug and only updated when something changed; the
writes go through the services, so the history says who (the demo instructeur) and why.
Dates are relative to the day the command runs, so there are always open, closed and future aids.
"""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.text import slugify

from aides.catalogue.demo import creation, export_emploi_formation, innovation_industrie, tpe, transition_numerique
from aides.catalogue.demo.textes import ARCHIVE, AUTEUR_DEMO, PUBLIE, SUFFIXE, TEL
from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.services import dispositif as services
from portal.models import Direction, User
from territoires.models import EPCI, ConventionTerritoriale, TypeConvention

GROUPES = (creation, tpe, innovation_industrie, export_emploi_formation, transition_numerique)


def catalogue(aujourdhui: date) -> list[dict]:
    """The demo dispositifs; `jours(n)` is a date n days from today (negative: in the past)."""

    def jours(n: int) -> date:
        return aujourdhui + timedelta(days=n)

    return [fiche for groupe in GROUPES for fiche in groupe.dispositifs(jours)]


# Fields the demo table does not own: the demo forms loader gives one dispositif its form.
GERES_AILLEURS = {"formulaire"}


def _preparer(fiche: dict, rang: int, directions: dict[str, Direction], epcis: dict[str, EPCI]) -> dict:
    """From the table above to the services' arguments; a field left out gets its default, so a
    field removed from the table is also reset in the database on the next run."""
    donnees = {
        nom: Dispositif._meta.get_field(nom).get_default() for nom in services.CHAMPS_MODIFIABLES - GERES_AILLEURS
    }
    donnees.update(fiche)
    donnees["nom"] = donnees["nom"] + SUFFIXE
    donnees["direction"] = directions[donnees["direction"]]
    donnees["epcis"] = [epcis[siren] for siren in donnees.get("epcis", [])]
    donnees.setdefault("departements", [])
    donnees["contact_nom"] = donnees["contact_nom"] or "Hauts-de-France Entreprises"
    donnees["contact_email"] = donnees["contact_email"] or f"aide{rang:02d}@demo.hautsdefrance.fr"
    donnees["contact_telephone"] = donnees["contact_telephone"] or TEL.format(rang)
    donnees["demo"] = True
    return donnees


# Region-wide aids to small businesses that the EPCI co-finance under their « aides aux entreprises »
# convention (loi NOTRe): covered by every such convention.
COUVERTS_PAR_TOUTES_LES_CONVENTIONS = ["Booster TPE", "REHA – rénovation des locaux", "Dernier commerce de village"]


def _rattacher_aux_conventions(par: User | None, stdout) -> None:
    """Link demo dispositifs to the demo « aides aux entreprises » conventions that cover them: those
    of the EPCI they cover, and all of them for the aids listed above. Only adds links (a link made by
    hand stays), so a second run changes nothing."""
    conventions_par_epci: dict[int, set[int]] = {}
    for pk, epci_id in ConventionTerritoriale.objects.filter(demo=True, type=TypeConvention.AIDES).values_list(
        "pk", "epci_id"
    ):
        conventions_par_epci.setdefault(epci_id, set()).add(pk)
    if not conventions_par_epci:
        return  # territoires' demo did not run
    toutes = set().union(*conventions_par_epci.values())
    liens = 0
    dispositifs = (
        Dispositif.objects.filter(demo=True)
        .exclude(statut=ARCHIVE)
        .prefetch_related("epcis", "conventions_territoriales")
        .order_by("pk")
    )
    for dispositif in dispositifs:
        if any(dispositif.nom.startswith(nom) for nom in COUVERTS_PAR_TOUTES_LES_CONVENTIONS):
            cibles = toutes
        else:
            cibles = set().union(*(conventions_par_epci.get(epci.pk, set()) for epci in dispositif.epcis.all()))
        actuelles = {convention.pk for convention in dispositif.conventions_territoriales.all()}
        if cibles - actuelles:
            services.dispositif_modifier(dispositif=dispositif, par=par, conventions_territoriales=actuelles | cibles)
            liens += len(cibles - actuelles)
    stdout.write(f"  rattachement aux conventions EPCI de démonstration : {liens} liens ajoutés")


def charger(stdout) -> None:
    aujourdhui = timezone.localdate()
    par = User.objects.filter(email=AUTEUR_DEMO).first()
    directions = {d.code: d for d in Direction.objects.all()}
    epcis = {e.siren: e for e in EPCI.objects.defer("contour")}
    crees = modifies = 0
    for rang, fiche in enumerate(catalogue(aujourdhui), start=1):
        donnees = _preparer(fiche, rang, directions, epcis)
        statut = donnees.pop("statut", PUBLIE)
        existant = Dispositif.objects.filter(slug=slugify(donnees["nom"])).first()
        if existant is None:
            dispositif = services.dispositif_creer(par=par, **donnees)
            crees += 1
            if statut in (PUBLIE, ARCHIVE):
                services.dispositif_publier(dispositif=dispositif, par=par)
            if statut == ARCHIVE:
                services.dispositif_archiver(dispositif=dispositif, par=par)
        elif existant.statut != ARCHIVE:
            # An edit made by hand on the demo (unpublishing, for instance) is kept; the texts are refreshed.
            avant = existant.modifie_le
            dispositif = services.dispositif_modifier(dispositif=existant, par=par, **donnees)
            modifies += dispositif.modifie_le != avant
    total = Dispositif.objects.filter(demo=True).count()
    stdout.write(f"  catalogue de démonstration : {total} dispositifs ({crees} créés, {modifies} mis à jour)")
    _rattacher_aux_conventions(par, stdout)
