"""Reads of the SAF back office: the dashboard, one convention, FEDER follow-up, each in a fixed
number of queries whatever the number of conventions."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import BooleanField, Case, Count, Exists, Min, OuterRef, Prefetch, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from aides.catalogue.models.dispositif import Dispositif
from aides.conventions.models.convention import (
    ETAPES_EN_COURS,
    ConventionAide,
    Etape,
    EtapeConvention,
    Signature,
    VersionConvention,
    condition_bloquee,
)
from aides.conventions.models.feder import SEUIL_PLAQUE_FEDER as SEUIL_PLAQUE
from aides.conventions.models.feder import AppelDeFonds, ObjectifSpecifique, OperationFeder, PreuvePublicite
from aides.conventions.models.versement import Versement
from aides.demandes.models.demande import Demande, Statut
from portal.models import Direction

ZERO = Decimal("0")


def conventions_tableau(
    *,
    jours_blocage: int,
    etape: str | None = None,
    dispositif_id: int | None = None,
    direction_id: int | None = None,
    bloquees: bool = False,
    gestionnaire_id: int | None = None,
    versements_a_controler: bool = False,
    maintenant: datetime | None = None,
):
    """Conventions with their step and age; the stalled ones first, then the oldest in their step."""
    bloquee = condition_bloquee(jours_blocage, maintenant)
    qs = ConventionAide.objects.select_related("etablissement__entreprise", "dispositif", "direction").annotate(
        bloquee=Case(
            When(bloquee, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )
    if etape:
        qs = qs.filter(etape=etape)
    if dispositif_id:
        qs = qs.filter(dispositif_id=dispositif_id)
    if direction_id:
        qs = qs.filter(direction_id=direction_id)
    if bloquees:
        qs = qs.filter(bloquee)
    if gestionnaire_id:
        qs = qs.filter(en_cours=True, gestionnaire_id=gestionnaire_id)
    if versements_a_controler:
        qs = qs.filter(Exists(Versement.objects.filter(convention=OuterRef("pk"), etat=Versement.Etat.DEMANDE)))
    # The stalled first (their expected delay depends on the step, so they are not simply the oldest),
    # then in-progress conventions oldest first, then the closed ones.
    return qs.order_by("-bloquee", "-en_cours", "etape_depuis", "pk")


@dataclass
class CompteEtape:
    etape: str
    libelle: str
    nombre: int
    bloquees: int
    plus_ancienne: datetime | None


def comptes_par_etape(*, jours_blocage: int, maintenant: datetime | None = None, **filtres) -> list[CompteEtape]:
    """How many conventions wait in each step, how many are stalled; one query."""
    bloquee = condition_bloquee(jours_blocage, maintenant)
    qs = ConventionAide.objects.all()
    if filtres.get("dispositif_id"):
        qs = qs.filter(dispositif_id=filtres["dispositif_id"])
    if filtres.get("direction_id"):
        qs = qs.filter(direction_id=filtres["direction_id"])
    lignes = {
        ligne["etape"]: ligne
        for ligne in qs.values("etape").annotate(
            nombre=Count("pk"),
            bloquees=Count("pk", filter=bloquee),
            plus_ancienne=Min("etape_depuis"),
        )
    }
    return [
        CompteEtape(
            etape=e.value,
            libelle=e.label,
            nombre=lignes.get(e.value, {}).get("nombre", 0),
            bloquees=lignes.get(e.value, {}).get("bloquees", 0),
            plus_ancienne=lignes.get(e.value, {}).get("plus_ancienne"),
        )
        for e in Etape
    ]


@dataclass
class Delai:
    etape: str
    libelle: str
    axe: str  # "tout", "direction" or "dispositif"
    cle: str  # the direction code or the dispositif name ("" for "tout")
    nombre: int
    mediane: float
    p90: float


def percentile_cont(histogramme: list[tuple[float, int]], fraction: float) -> float:
    """PostgreSQL's percentile_cont (linear interpolation between the two nearest ranks) over a
    sorted histogram of (value, count) pairs."""
    total = sum(n for _v, n in histogramme)
    position = fraction * (total - 1)
    bas, haut = int(position), min(int(position) + 1, total - 1)

    def valeur_au_rang(rang: int) -> float:
        cumul = 0
        for valeur, n in histogramme:
            cumul += n
            if rang < cumul:
                return valeur
        return histogramme[-1][0]

    v_bas, v_haut = valeur_au_rang(bas), valeur_au_rang(haut)
    return v_bas + (position - bas) * (v_haut - v_bas)


def delais_par_etape(
    *, debut: date, fin: date, dispositif_id: int | None = None, direction_id: int | None = None
) -> list[Delai]:
    """Median and 90th percentile of days spent in each step, for steps left during the period,
    overall, by direction and by dispositif.

    One query reads the step history alone (direction and dispositif are copied on each row) and
    returns a histogram of durations at a tenth of a day per (step, direction, dispositif); the
    percentiles are interpolated from it exactly as percentile_cont would on the rounded values.
    Sorting every step row three times (percentile_cont with GROUPING SETS) took 300-400 ms at
    50,000 conventions; the histogram is a hash aggregate of a few hundred rows.
    """

    tz = timezone.get_current_timezone()
    debut_dt = timezone.make_aware(datetime.combine(debut, time.min), tz)
    fin_dt = timezone.make_aware(datetime.combine(fin + timedelta(days=1), time.min), tz)
    conditions = ["le >= %s", "le < %s", "duree_de IS NOT NULL", "de <> ''"]
    parametres: list = [debut_dt, fin_dt]
    if dispositif_id:
        conditions.append("dispositif_id = %s")
        parametres.append(dispositif_id)
    if direction_id:
        conditions.append("direction_id = %s")
        parametres.append(direction_id)
    sql = f"""
        SELECT de, direction_id, dispositif_id, round(extract(epoch FROM duree_de) / 8640.0) AS dixiemes, count(*)
        FROM aides_etapeconvention
        WHERE {" AND ".join(conditions)}
        GROUP BY 1, 2, 3, 4
    """
    with connection.cursor() as curseur:
        curseur.execute(sql, parametres)
        lignes = curseur.fetchall()
    groupes: dict[tuple[str, str, object], dict[float, int]] = {}
    for de, direction, dispositif, dixiemes, nombre in lignes:
        jours = float(dixiemes) / 10
        for cle in ((de, "tout", ""), (de, "direction", direction), (de, "dispositif", dispositif)):
            compte = groupes.setdefault(cle, {})
            compte[jours] = compte.get(jours, 0) + nombre
    codes = dict(Direction.objects.values_list("pk", "code")) if lignes else {}
    noms = (
        dict(Dispositif.objects.filter(pk__in={ligne[2] for ligne in lignes}).values_list("pk", "nom"))
        if lignes
        else {}
    )
    ordre = {e.value: i for i, e in enumerate(Etape)}
    delais = []
    for (de, axe, cle), compte in groupes.items():
        histogramme = sorted(compte.items())
        libelle_cle = {"tout": "", "direction": codes.get(cle, "?"), "dispositif": noms.get(cle, "?")}[axe]
        delais.append(
            Delai(
                de,
                Etape(de).label,
                axe,
                libelle_cle,
                sum(compte.values()),
                round(percentile_cont(histogramme, 0.5), 1),
                round(percentile_cont(histogramme, 0.9), 1),
            )
        )
    delais.sort(key=lambda d: ({"tout": 0, "direction": 1, "dispositif": 2}[d.axe], d.cle, ordre.get(d.etape, 99)))
    return delais


def convention_pour_saf(pk: int):
    """One convention with everything its page shows, in a fixed number of queries."""
    return (
        ConventionAide.objects.select_related(
            "etablissement__entreprise",
            "etablissement__commune",
            "dispositif",
            "direction",
            "demande",
            "epci",
            "gestionnaire",
            "rapport_final",
        )
        .prefetch_related(
            "demandes_versement",
            Prefetch("etapes", queryset=EtapeConvention.objects.select_related("par").order_by("le", "pk")),
            Prefetch("versions", queryset=VersionConvention.objects.select_related("document")),
            Prefetch("signatures", queryset=Signature.objects.select_related("signataire", "version__document")),
            Prefetch("versements", queryset=Versement.objects.prefetch_related("pieces").order_by("demande_le", "pk")),
        )
        .filter(pk=pk)
    )


def total_paye(convention: ConventionAide) -> Decimal:
    return sum((v.montant for v in convention.versements.all() if v.etat == Versement.Etat.PAYE), ZERO)


def conventions_a_creer():
    """Granted applications that have no convention yet, oldest decision first."""

    return (
        Demande.objects.filter(statut=Statut.ACCORDEE, convention__isnull=True)
        .select_related("dispositif__direction", "etablissement__entreprise")
        .order_by("decidee_le", "pk")
    )


# --- FEDER -------------------------------------------------------------------------------------


@dataclass
class LigneObjectif:
    code: str
    libelle: str
    operations: int
    programme: Decimal
    paye: Decimal


def feder_par_objectif() -> list[LigneObjectif]:
    """EU amounts programmed vs paid (paid claims) by specific objective; one query."""
    lignes = {
        ligne["objectif_specifique"]: ligne
        for ligne in OperationFeder.objects.values("objectif_specifique").annotate(
            operations=Count("pk", distinct=True),
            programme=Coalesce(Sum("montant_ue", distinct=False), ZERO),
        )
    }
    payes = {
        ligne["operation__objectif_specifique"]: ligne["paye"]
        for ligne in AppelDeFonds.objects.filter(etat=AppelDeFonds.Etat.PAYE)
        .values("operation__objectif_specifique")
        .annotate(paye=Sum("montant_ue"))
    }
    return [
        LigneObjectif(
            code=os.value,
            libelle=os.label,
            operations=lignes.get(os.value, {}).get("operations", 0),
            programme=lignes.get(os.value, {}).get("programme", ZERO),
            paye=payes.get(os.value) or ZERO,
        )
        for os in ObjectifSpecifique
        if os.value in lignes
    ]


def operations_sans_preuve_publicite():
    """Operations missing the proof of their required support (poster or plaque, see
    OperationFeder.support_publicite) or of the website mention."""
    preuve = PreuvePublicite.objects.filter(operation=OuterRef("pk"))
    return (
        OperationFeder.objects.select_related("convention__etablissement__entreprise")
        .annotate(
            a_affiche=Exists(preuve.filter(type=PreuvePublicite.Type.AFFICHE)),
            a_plaque=Exists(preuve.filter(type=PreuvePublicite.Type.PLAQUE)),
            a_site=Exists(preuve.filter(type=PreuvePublicite.Type.SITE_WEB)),
        )
        .filter(
            Q(infrastructure=True, cout_total_eligible__gt=SEUIL_PLAQUE, a_plaque=False)
            | (~Q(infrastructure=True, cout_total_eligible__gt=SEUIL_PLAQUE) & Q(a_affiche=False, a_plaque=False))
            | Q(a_site=False)
        )
        .order_by("code_operation")
    )


def jours_par_etape(convention: ConventionAide, *, maintenant: datetime | None = None) -> dict[str, float]:
    """Days this convention spent in each step of the circuit (the current one counted until now),
    from its prefetched history `etapes`; for the XLSX export."""
    jours: dict[str, float] = {}
    for etape in convention.etapes.all():
        if etape.de and etape.duree_de is not None:
            jours[etape.de] = jours.get(etape.de, 0.0) + etape.duree_de.total_seconds() / 86400
    if convention.etape in ETAPES_EN_COURS:
        en_cours = ((maintenant or timezone.now()) - convention.etape_depuis).total_seconds() / 86400
        jours[convention.etape] = jours.get(convention.etape, 0.0) + en_cours
    return {etape: round(valeur, 1) for etape, valeur in jours.items()}


def conventions_avec_versements(conventions):
    """Conventions with the amount paid so far (`paye`), newest first (one query)."""

    return (
        conventions.select_related("dispositif")
        .annotate(
            paye=Coalesce(
                Sum("versements__montant", filter=Q(versements__etat=Versement.Etat.PAYE)),
                Value(Decimal("0")),
            )
        )
        .order_by("-cree_le")
    )
