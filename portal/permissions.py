"""Least privilege for staff: which role reads or writes which object, in one table.

Views and access-checked getters ask `peut(user, objet, action)` (or `exiger`, which raises the
outsider's 404 or the member's 403). Rules that depend on the object itself (the assignee of a
request, the direction of a référent, a FEDER co-financing) are the functions below the table.
README « Modèle de sécurité » says the same in French, for people.

A staff account with no role reaches nothing (portal.acces shows a page saying whom to ask).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .roles import ROLES_AGENTS, Role

CDM = Role.CHARGE_DE_MISSION
INSTRUCTEUR = Role.INSTRUCTEUR
SAF = Role.GESTIONNAIRE_SAF
FEDER = Role.SERVICE_FEDER
PILOTAGE = Role.PILOTAGE
ADMIN = Role.ADMINISTRATEUR
DPD = Role.DPD
TOUS = tuple(ROLES_AGENTS)

# (objet, action) → the roles granted it. A role absent here has no access to the object.
MATRICE: dict[tuple[str, str], tuple[Role, ...]] = {
    # Shared CRM: every agent with a role reads companies and their timeline, and notes what they did.
    ("crm", "lire"): TOUS,
    ("crm", "ecrire"): TOUS,
    # The référent (chef de file) is changed by pilotage, or within the current référent's direction
    # (see `peut_changer_referent`).
    ("referent", "changer"): (PILOTAGE, ADMIN),
    # A request or a task is handled by its assignee or their direction (see below), or by pilotage.
    ("sollicitation", "traiter"): (PILOTAGE, ADMIN),
    ("tache", "terminer"): (PILOTAGE, ADMIN),
    # GDPR: what is held on a person leaves only through the data-protection officer.
    ("donnees_personnelles", "exporter"): (DPD,),
    # Applications and the company documents they carry: those who instruct them (every direction's
    # dispositifs: instructeurs co-instruct across directions), the SAF that turns them into
    # conventions, and the FEDER service for FEDER-eligible dispositifs only. Pilotage sees figures
    # (dashboards), not files.
    ("demande", "lire"): (INSTRUCTEUR, SAF, FEDER, ADMIN),
    ("demande", "instruire"): (INSTRUCTEUR, ADMIN),
    # Aid conventions, their PDFs and payment proofs: SAF manages; pilotage reads what it signs;
    # instructeurs read the conventions of the files they granted; FEDER the co-financed ones.
    ("convention", "lire"): (SAF, FEDER, PILOTAGE, INSTRUCTEUR, ADMIN),
    ("convention", "gerer"): (SAF, ADMIN),
    ("tableau_saf", "lire"): (SAF, FEDER, PILOTAGE, INSTRUCTEUR, ADMIN),
    # EPCI conventions: the coverage is everyone's; their signed documents are for the territorial
    # agents and pilotage.
    ("convention_epci", "lire"): TOUS,
    ("convention_epci", "document"): (CDM, PILOTAGE, ADMIN),
    # Application forms of the dispositifs: every agent reads them; those who edit the catalogue
    # build and publish them.
    ("formulaire", "lire"): TOUS,
    ("formulaire", "modifier"): (INSTRUCTEUR, PILOTAGE),
    # Who acts for a company: territorial agents check the evidence of attachment requests.
    ("rattachement", "verifier"): (CDM, ADMIN),
}

FEDER_SEUL = {("demande", "lire"), ("convention", "lire")}


def roles_de(user) -> set[str]:
    """The staff roles the user holds (every role for a superuser); cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if user.is_superuser:
        return {r.value for r in ROLES_AGENTS}
    return user.noms_groupes() & {r.value for r in ROLES_AGENTS}


def a_un_role(user) -> bool:
    return bool(roles_de(user))


def peut(user, objet: str, action: str, *, cible=None) -> bool:
    """Whether the user's roles grant `action` on `objet`; `cible` (the object) for the rules that
    depend on it (FEDER-only reads)."""
    if not getattr(user, "est_agent", False):
        return False
    roles = roles_de(user)
    permis = {r.value for r in MATRICE[(objet, action)]} & roles
    if not permis:
        return False
    if (objet, action) in FEDER_SEUL and permis == {FEDER.value} and cible is not None:
        return est_feder(cible)
    return True


def feder_seulement(user, objet: str, action: str) -> bool:
    """Whether the user reaches this object only through the FEDER service role (lists then keep
    the FEDER files)."""
    permis = {r.value for r in MATRICE[(objet, action)]} & roles_de(user)
    return permis == {FEDER.value}


def exiger(user, objet: str, action: str, *, cible=None, introuvable: bool = True) -> None:
    """Raise 404 (an object the user may not know of) or 403 (a page of the back office)."""
    if not peut(user, objet, action, cible=cible):
        if introuvable:
            raise Http404
        raise PermissionDenied("Votre rôle ne permet pas d'ouvrir cette page.")


def est_feder(cible) -> bool:
    """An application of a FEDER-eligible dispositif, or a convention co-financed by the FEDER."""
    if hasattr(cible, "part_feder"):
        return cible.part_feder > 0
    dispositif = getattr(cible, "dispositif", None)
    return bool(dispositif and dispositif.eligible_feder)


def meme_direction(user, autre) -> bool:
    return autre is not None and user.direction_id is not None and user.direction_id == autre.direction_id


def peut_changer_referent(user, entreprise) -> bool:
    if peut(user, "referent", "changer"):
        return True
    if not peut(user, "crm", "ecrire"):
        return False
    actuel = entreprise.referent
    # Nobody yet: any agent may become or name the chef de file; otherwise the référent or their direction.
    return actuel is None or actuel.pk == user.pk or meme_direction(user, actuel)


def peut_traiter_sollicitation(user, sollicitation) -> bool:
    if peut(user, "sollicitation", "traiter"):
        return True
    if not peut(user, "crm", "ecrire"):
        return False
    assignes = list(sollicitation.assignes.all())
    if sollicitation.prise_en_charge_par_id:
        assignes.append(sollicitation.prise_en_charge_par)
    if any(a.pk == user.pk for a in assignes):
        return True
    # Its direction's agents (the shared inbox, or a colleague's request).
    return user.direction_id is not None and user.direction_id == sollicitation.direction_id


def peut_terminer_tache(user, tache) -> bool:
    if peut(user, "tache", "terminer"):
        return True
    if not peut(user, "crm", "ecrire"):
        return False
    assignee = tache.assignee
    return assignee is None or assignee.pk == user.pk or meme_direction(user, assignee)
