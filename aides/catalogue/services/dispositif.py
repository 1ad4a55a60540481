"""Writes on the catalogue: create, edit, publish, unpublish and archive a dispositif.

Life of a dispositif: brouillon → publié ⇄ brouillon; brouillon or publié → archivé.
An archived dispositif is out of the catalogue and frozen (no edit). Leaving the archive is a
deliberate act: republish it as it is (same address, e.g. a yearly call relaunched) or put it
back to draft to rework it. Every write goes through these functions,
so the history (simple-history) always knows who did it and why, including from commands and tests.

Coverage (départements, EPCI) is many-to-many and recorded by simple-history (`m2m_fields`): each
history row holds the coverage of its version. The services write the many-to-many rows *before*
the save that records the version (with the m2m signals muted), so one action gives one history row,
by its author, holding both the fields and the coverage. The EPCI conventions that cover the
dispositif are not in the history rows: their changes go into the change reason.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from aides.catalogue.models.dispositif import Dispositif
from portal.models import User
from territoires.models import EPCI, ConventionTerritoriale, Departement

LONGUEUR_SLUG = 200
LONGUEUR_MOTIF = 100  # history_change_reason is a CharField(max_length=100)

# The fields staff edit on a dispositif's page, in the page's order (DispositifForm's fields).
CHAMPS_SAISIS = (
    "nom", "resume", "description", "thematiques", "nature", "publics", "stades", "effectif_min", "effectif_max",
    "naf_inclus", "naf_exclus", "couvre_region", "departements", "epcis", "conventions_territoriales",
    "direction", "operateur", "operateur_nom", "montant_min", "montant_max", "taux_max", "regime",
    "regime_reference", "eligible_feder", "date_ouverture", "date_cloture", "documents_requis", "formulaire",
    "modalite_depot", "url_depot_externe", "contact_nom", "contact_email", "contact_telephone",
    "delai_instruction_cible_jours", "indicateurs", "lettre_accord_modele", "lettre_refus_modele",
)  # fmt: skip
# Many-to-many fields: set by the services after the row is saved.
CHAMPS_MULTIPLES = frozenset({"departements", "epcis", "conventions_territoriales", "indicateurs"})
# Fields a service may set from a form or a command (imports add their source; the demo its label);
# the rest (slug, statut, dates) is the services' job.
CHAMPS_MODIFIABLES = (frozenset(CHAMPS_SAISIS) - CHAMPS_MULTIPLES) | {"source", "source_id", "demo"}


# --- Rules ------------------------------------------------------------------------------------


def verifier_modifiable(dispositif: Dispositif, *, nb_departements: int, nb_epcis: int) -> None:
    """An archived dispositif is not edited; a published one stays complete (`dispositif` carries the
    new values, the coverage is counted by the caller). Bounds and dates are the model's constraints."""
    if dispositif.statut == Dispositif.Statut.ARCHIVE:
        raise ValidationError("Un dispositif archivé ne peut plus être modifié : remettez-le d'abord en brouillon.")
    if dispositif.statut == Dispositif.Statut.PUBLIE:
        manques = manques_pour_publier(dispositif, nb_departements=nb_departements, nb_epcis=nb_epcis)
        if manques:
            raise ValidationError(f"Ce dispositif est publié : il doit rester complet. Il manque {_enumerer(manques)}.")


def manques_pour_publier(dispositif: Dispositif, *, nb_departements: int, nb_epcis: int) -> list[str]:
    """What is missing before the dispositif can be shown to companies (empty list: complete)."""
    manques = []
    if not dispositif.nom.strip():
        manques.append("le nom")
    if not dispositif.resume.strip():
        manques.append("le résumé")
    if not dispositif.nature:
        manques.append("la nature de l'aide")
    if not dispositif.thematiques:
        manques.append("au moins une thématique")
    if not (dispositif.couvre_region or nb_departements or nb_epcis):
        manques.append("la couverture territoriale (toute la région, un département ou un EPCI)")
    if not dispositif.direction_id:
        manques.append("la direction pilote")
    return manques


def verifier_publiable(dispositif: Dispositif) -> None:
    manques = manques_pour_publier(
        dispositif, nb_departements=dispositif.departements.count(), nb_epcis=dispositif.epcis.count()
    )
    if manques:
        raise ValidationError(f"Ce dispositif ne peut pas être publié : il manque {_enumerer(manques)}.")


def _enumerer(elements: list[str]) -> str:
    if len(elements) == 1:
        return elements[0]
    return ", ".join(elements[:-1]) + " et " + elements[-1]


def slug_unique(nom: str, *, sauf_pk: int | None = None) -> str:
    """slugify(nom), made unique with -2, -3... against the other dispositifs."""
    base = slugify(nom)[:LONGUEUR_SLUG].strip("-") or "dispositif"
    pris = set(Dispositif.objects.filter(slug__startswith=base).exclude(pk=sauf_pk).values_list("slug", flat=True))
    if base not in pris:
        return base
    rang = 2
    while f"{base}-{rang}" in pris:
        rang += 1
    return f"{base}-{rang}"


# --- History helpers ----------------------------------------------------------------------------


def _motif(texte: str) -> str:
    return texte if len(texte) <= LONGUEUR_MOTIF else texte[: LONGUEUR_MOTIF - 1] + "…"


def _decrire_conventions(avant: set[int], apres: set[int]) -> str:
    """« conventions EPCI +1 −2 », empty when nothing changed (they are not in the history rows)."""
    morceaux = []
    if ajoutees := len(apres - avant):
        morceaux.append(f"+{ajoutees}")
    if retirees := len(avant - apres):
        morceaux.append(f"−{retirees}")
    return "conventions EPCI " + " ".join(morceaux) if morceaux else ""


def _enregistrer(
    dispositif: Dispositif,
    *,
    par: User | None,
    motif: str,
    departements: set[str] | None = None,
    epcis: set[int] | None = None,
    conventions: set[int] | None = None,
) -> None:
    """Save with the author and the reason; the history row written holds the new coverage.

    simple-history snapshots the many-to-many rows when it writes a history row, and writes one more
    row on each m2m change: the m2m are set first with history muted, then the save records one
    version with everything (at creation the row needs a pk first, hence a muted first save).
    """
    dispositif._history_user = par
    dispositif._change_reason = _motif(motif)
    # With the CHECK constraints: their French messages go next to their fields (Dispositif.validate_constraints).
    dispositif.full_clean()
    creation = dispositif.pk is None
    if creation or any(x is not None for x in (departements, epcis, conventions)):
        dispositif.skip_history_when_saving = True
        try:
            if creation:
                dispositif.save()
            if departements is not None:
                dispositif.departements.set(departements)
            if epcis is not None:
                dispositif.epcis.set(epcis)
            if conventions is not None:
                dispositif.conventions_territoriales.set(conventions)
        finally:
            del dispositif.skip_history_when_saving
    dispositif.save()
    if creation:
        # The recording save was an update: its row is the creation.
        Dispositif.historique.filter(id=dispositif.pk).update(history_type="+")


def _appliquer(dispositif: Dispositif, champs: dict[str, Any]) -> None:
    inconnus = set(champs) - CHAMPS_MODIFIABLES
    if inconnus:
        raise TypeError(f"Champs non modifiables : {', '.join(sorted(inconnus))}")
    for nom, valeur in champs.items():
        setattr(dispositif, nom, valeur)


def _valeurs(dispositif: Dispositif) -> dict[str, Any]:
    # attname (direction_id rather than direction): comparing must not query.
    attributs = (Dispositif._meta.get_field(nom).attname for nom in CHAMPS_MODIFIABLES)
    return {attribut: getattr(dispositif, attribut) for attribut in attributs}


def _codes_departements(departements: Iterable) -> set[str]:
    return {d.pk if isinstance(d, Departement) else str(d) for d in departements}


def _pks_epcis(epcis: Iterable) -> set[int]:
    return {e.pk if isinstance(e, EPCI) else int(e) for e in epcis}


def _pks_conventions(conventions: Iterable) -> set[int]:
    return {c.pk if isinstance(c, ConventionTerritoriale) else int(c) for c in conventions}


# --- Services -----------------------------------------------------------------------------------


@transaction.atomic
def dispositif_creer(
    *,
    par: User | None,
    departements: Iterable = (),
    epcis: Iterable = (),
    conventions_territoriales: Iterable = (),
    indicateurs: Iterable = (),
    **champs: Any,
) -> Dispositif:
    """A new dispositif, always as a draft; `departements` are codes or objects, `epcis` and
    `conventions_territoriales` pks or objects."""
    dispositif = Dispositif(statut=Dispositif.Statut.BROUILLON)
    _appliquer(dispositif, champs)
    dispositif.slug = slug_unique(dispositif.nom)
    conventions = _pks_conventions(conventions_territoriales)
    details = _decrire_conventions(set(), conventions)
    _enregistrer(
        dispositif,
        par=par,
        motif="Création" + (f" ({details})" if details else ""),
        departements=_codes_departements(departements),
        epcis=_pks_epcis(epcis),
        conventions=conventions,
    )
    dispositif.indicateurs.set(indicateurs)
    return dispositif


@transaction.atomic
def dispositif_modifier(
    *,
    dispositif: Dispositif,
    par: User | None,
    departements: Iterable | None = None,
    epcis: Iterable | None = None,
    conventions_territoriales: Iterable | None = None,
    indicateurs: Iterable | None = None,
    **champs: Any,
) -> Dispositif:
    """Edit a draft or a published dispositif (a published one must stay complete).

    Returns the saved dispositif; nothing is written (no history row) when nothing changed.
    """
    actuel = Dispositif.objects.select_for_update().get(pk=dispositif.pk)
    avant = _valeurs(actuel)
    avant_dep = set(actuel.departements.values_list("pk", flat=True))
    avant_epci = set(actuel.epcis.values_list("pk", flat=True))
    avant_conv = set(actuel.conventions_territoriales.values_list("pk", flat=True))
    apres_dep = avant_dep if departements is None else _codes_departements(departements)
    apres_epci = avant_epci if epcis is None else _pks_epcis(epcis)
    apres_conv = avant_conv if conventions_territoriales is None else _pks_conventions(conventions_territoriales)

    _appliquer(actuel, champs)
    verifier_modifiable(actuel, nb_departements=len(apres_dep), nb_epcis=len(apres_epci))
    if actuel.publie_le is None and actuel.nom != avant["nom"]:
        # The address follows the name until the first publication, then never changes (links).
        actuel.slug = slug_unique(actuel.nom, sauf_pk=actuel.pk)

    if indicateurs is not None:
        # The impact indicators tracked are pilotage settings: not in the public history.
        actuel.indicateurs.set(indicateurs)
    change = _valeurs(actuel) != avant
    couverture_changee = (avant_dep, avant_epci) != (apres_dep, apres_epci)
    details = _decrire_conventions(avant_conv, apres_conv)
    if not (change or couverture_changee or details):
        return actuel
    _enregistrer(
        actuel,
        par=par,
        motif="Modification" + (f" ({details})" if details else ""),
        departements=apres_dep if apres_dep != avant_dep else None,
        epcis=apres_epci if apres_epci != avant_epci else None,
        conventions=apres_conv if details else None,
    )
    return actuel


def _verrouiller(dispositif: Dispositif) -> Dispositif:
    return Dispositif.objects.select_for_update().get(pk=dispositif.pk)


@transaction.atomic
def dispositif_publier(*, dispositif: Dispositif, par: User | None) -> Dispositif:
    """Show it in the public catalogue: only a complete draft or archived dispositif."""
    actuel = _verrouiller(dispositif)
    if actuel.statut == Dispositif.Statut.PUBLIE:
        raise ValidationError("Ce dispositif est déjà publié.")
    verifier_publiable(actuel)
    motif = "Republication" if actuel.statut == Dispositif.Statut.ARCHIVE else "Publication"
    actuel.statut = Dispositif.Statut.PUBLIE
    actuel.publie_le = timezone.now()
    _enregistrer(actuel, par=par, motif=motif)
    return actuel


@transaction.atomic
def dispositif_depublier(*, dispositif: Dispositif, par: User | None) -> Dispositif:
    """Back to draft: out of the public catalogue, editable again (the address stays the same).

    Also the way out of the archive when an archived dispositif must be reworked.
    """
    actuel = _verrouiller(dispositif)
    if actuel.statut == Dispositif.Statut.BROUILLON:
        raise ValidationError("Ce dispositif est déjà un brouillon.")
    motif = "Dépublication" if actuel.statut == Dispositif.Statut.PUBLIE else "Remise en brouillon"
    actuel.statut = Dispositif.Statut.BROUILLON
    _enregistrer(actuel, par=par, motif=motif)
    return actuel


@transaction.atomic
def dispositif_archiver(*, dispositif: Dispositif, par: User | None) -> Dispositif:
    """Withdraw it for good: out of the catalogue and frozen (it can only be republished as it is)."""
    actuel = _verrouiller(dispositif)
    if actuel.statut == Dispositif.Statut.ARCHIVE:
        raise ValidationError("Ce dispositif est déjà archivé.")
    actuel.statut = Dispositif.Statut.ARCHIVE
    _enregistrer(actuel, par=par, motif="Archivage")
    return actuel
