"""Writes of the CRM: each one checks its rules, saves in a transaction and schedules its side effects."""

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.db.models.functions import Greatest
from django.utils import timezone

from portal.destinataires import Niveau, destinataires_avec_repli
from portal.models import Direction, User
from portal.periodes import jour_iso, periode_reclamer
from portal.roles import Role
from portal.services import notification_creer
from territoires.models import Affectation, Commune

from .actions import MACHINE_SOLLICITATION
from .jours_ouvres import retirer_jours_ouvres
from .models import (
    Accompagnement,
    ChangementReferent,
    Contact,
    Entreprise,
    Etablissement,
    Interaction,
    Sollicitation,
    Structure,
    Tache,
)
from .referentiels import DIRECTION_PAR_BESOIN, BaseLegale

DELAI_RELANCE_JOURS_OUVRES = 2
DELAI_ALERTE_JOURS_OUVRES = 10


def conservation_annees() -> int:
    """Years a contact is kept after the last interaction (setting CRM_CONSERVATION_CONTACT_ANNEES)."""
    return int(getattr(settings, "CRM_CONSERVATION_CONTACT_ANNEES", 3))


def date_fin_conservation(depuis: date) -> date:
    annees = conservation_annees()
    try:
        return depuis.replace(year=depuis.year + annees)
    except ValueError:  # 29 February
        return depuis.replace(year=depuis.year + annees, day=28)


# --- Companies and establishments -------------------------------------------------------------


def noms_recherche_actualiser(*, entreprise_id: int) -> None:
    """Recompute the search name of the company's establishments, with the SQL used by the import."""
    with connection.cursor() as curseur:
        curseur.execute(
            """
            UPDATE crm_etablissement et
               SET nom_recherche = crm_normaliser(concat_ws(' ', en.denomination, en.sigle, et.enseigne))
              FROM crm_entreprise en
             WHERE en.id = et.entreprise_id AND en.id = %s
            """,
            [entreprise_id],
        )


@transaction.atomic
def entreprise_creer(*, par: User | None = None, **champs) -> Entreprise:
    entreprise = Entreprise(**champs)
    entreprise.full_clean()
    entreprise.save()
    return entreprise


@transaction.atomic
def entreprise_modifier(*, entreprise: Entreprise, **champs) -> Entreprise:
    for nom, valeur in champs.items():
        setattr(entreprise, nom, valeur)
    entreprise.full_clean()
    entreprise.save()
    noms_recherche_actualiser(entreprise_id=entreprise.pk)
    return entreprise


@transaction.atomic
def etablissement_creer(*, entreprise: Entreprise, siret: str, **champs) -> Etablissement:
    if siret[:9] != entreprise.siren:
        raise ValidationError(
            {
                "siret": "Ce SIRET n'appartient pas à cette entreprise (ses 9 premiers chiffres "
                f"doivent être le SIREN {entreprise.siren})."
            }
        )
    etablissement = Etablissement(entreprise=entreprise, siret=siret, **champs)
    etablissement.full_clean()
    etablissement.save()
    noms_recherche_actualiser(entreprise_id=entreprise.pk)
    return etablissement


@transaction.atomic
def referent_changer(*, entreprise: Entreprise, nouveau: User | None, par: User, motif: str = "") -> Entreprise:
    if nouveau is not None and not nouveau.est_agent:
        raise ValidationError({"referent": "Le référent doit être un agent de la Région."})
    if entreprise.referent_id == (nouveau.pk if nouveau else None):
        return entreprise
    ChangementReferent.objects.create(
        entreprise=entreprise, ancien_id=entreprise.referent_id, nouveau=nouveau, par=par, motif=motif
    )
    entreprise.referent = nouveau
    entreprise.save(update_fields=["referent", "modifie_le"])
    return entreprise


# Other apps add what counts as « accompagnée » (aides: applications deposited, grants, conventions,
# payments): `source(entreprise_id) -> iterable of (direction_id, date)`, registered in their
# AppConfig.ready(). The CRM never imports them (same pattern as crm.timeline).
_SOURCES_ACCOMPAGNEMENT: list[Callable[[int], Iterable[tuple[int, date]]]] = []


def accompagnement_source_enregistrer(source: Callable[[int], Iterable[tuple[int, date]]]) -> None:
    if source not in _SOURCES_ACCOMPAGNEMENT:
        _SOURCES_ACCOMPAGNEMENT.append(source)


def accompagnements_recalculer(*, entreprise_id: int) -> None:
    """Rebuild which directions worked with the company: staff present at interactions, requests,
    and every registered source (applications, grants, conventions, payments). The search filter
    « jamais accompagnée » and the company page's badge both read the result (Accompagnement)."""
    dates: dict[int, date] = {}
    for source in _SOURCES_ACCOMPAGNEMENT:
        for direction_id, jour in source(entreprise_id):
            dates[direction_id] = max(dates.get(direction_id, jour), jour)
    lignes = (
        Interaction.objects.filter(entreprise_id=entreprise_id, agents__direction__isnull=False)
        .values("agents__direction")
        .annotate(dernier=Max("date"))
    )
    for ligne in lignes:
        direction_id = ligne["agents__direction"]
        dates[direction_id] = max(dates.get(direction_id, ligne["dernier"]), ligne["dernier"])
    for ligne in (
        Sollicitation.objects.filter(entreprise_id=entreprise_id).values("direction").annotate(dernier=Max("cree_le"))
    ):
        jour = timezone.localdate(ligne["dernier"])
        dates[ligne["direction"]] = max(dates.get(ligne["direction"], jour), jour)
    Accompagnement.objects.filter(entreprise_id=entreprise_id).exclude(direction_id__in=dates).delete()
    for direction_id, jour in dates.items():
        Accompagnement.objects.update_or_create(
            entreprise_id=entreprise_id, direction_id=direction_id, defaults={"dernier_le": jour}
        )


# --- Contacts ---------------------------------------------------------------------------------


@transaction.atomic
def contact_creer(*, entreprise: Entreprise, nom: str, par: User | None = None, **champs) -> Contact:
    champs.setdefault("base_legale", BaseLegale.INTERET_LEGITIME)
    champs.setdefault("conserver_jusquau", date_fin_conservation(timezone.localdate()))
    contact = Contact(entreprise=entreprise, nom=nom, **champs)
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_modifier(*, contact: Contact, **champs) -> Contact:
    if contact.anonymise_le:
        raise ValidationError("Ce contact a été anonymisé : il ne peut plus être modifié.")
    for nom, valeur in champs.items():
        setattr(contact, nom, valeur)
    contact.full_clean()
    contact.save()
    return contact


def contacts_doublons(*, email: str, entreprise: Entreprise | None = None):
    """Existing contacts with this email (case-insensitive), proposed before creating a second one."""
    if not email:
        return Contact.objects.none()
    qs = Contact.objects.actifs().filter(email__iexact=email.strip()).select_related("entreprise")
    return qs


@transaction.atomic
def contacts_anonymiser(*, aujourdhui: date | None = None) -> int:
    """Anonymise the contacts past their retention date, and old closed requests. Safe to run twice."""
    aujourdhui = aujourdhui or timezone.localdate()
    maintenant = timezone.now()
    nombre = Contact.objects.expires(aujourdhui).update(
        prenom="", nom="Contact anonymisé", fonction="", email="", telephone="", anonymise_le=maintenant
    )
    # Requests hold the requester's name and email too: same retention, counted from the last change.
    limite = maintenant - timedelta(days=365 * conservation_annees())
    Sollicitation.objects.filter(anonymisee_le__isnull=True).exclude(
        statut__in=[Sollicitation.Statut.NOUVELLE, Sollicitation.Statut.PRISE_EN_CHARGE]
    ).alias(derniere=Greatest("cree_le", "prise_en_charge_le", "repondue_le", "close_le")).filter(
        derniere__lt=limite
    ).update(nom="Demandeur anonymisé", email="anonyme@invalid", telephone="", message="", anonymisee_le=maintenant)
    return nombre


# --- Interactions and tasks ---------------------------------------------------------------------


@transaction.atomic
def interaction_enregistrer(
    *,
    auteur: User,
    entreprise: Entreprise,
    agents: list[User],
    contacts: list[Contact] = (),
    structures: list[Structure] = (),
    taches: list[dict] = (),
    interaction: Interaction | None = None,
    **champs,
) -> Interaction:
    """Create an interaction, or save a new version of it (only its author may edit it)."""
    if interaction is None:
        interaction = Interaction(auteur=auteur, entreprise=entreprise)
    elif interaction.auteur_id != auteur.pk:
        raise ValidationError("Seul l'auteur de cette interaction peut la modifier.")
    etablissement = champs.get("etablissement")
    if etablissement is not None and etablissement.entreprise_id != entreprise.pk:
        raise ValidationError({"etablissement": "Cet établissement n'appartient pas à l'entreprise."})
    for contact in contacts:
        if contact.entreprise_id != entreprise.pk:
            raise ValidationError({"contacts": f"{contact} n'est pas un contact de cette entreprise."})
    for nom, valeur in champs.items():
        setattr(interaction, nom, valeur)
    interaction.full_clean()
    interaction.save()
    presents = {agent.pk: agent for agent in agents}
    presents.setdefault(auteur.pk, auteur)
    interaction.agents.set(presents.values())
    interaction.contacts.set(contacts)
    interaction.structures.set(structures)
    # A person met stays three years after the last interaction.
    for contact in contacts:
        fin = date_fin_conservation(interaction.date)
        if fin > contact.conserver_jusquau:
            Contact.objects.filter(pk=contact.pk).update(conserver_jusquau=fin)
    for tache in taches:
        tache_creer(entreprise=entreprise, interaction=interaction, cree_par=auteur, **tache)
    accompagnements_recalculer(entreprise_id=entreprise.pk)
    return interaction


@transaction.atomic
def tache_creer(*, entreprise: Entreprise, titre: str, assignee: User, echeance: date, **champs) -> Tache:
    tache = Tache(entreprise=entreprise, titre=titre, assignee=assignee, echeance=echeance, **champs)
    tache.full_clean()
    tache.save()
    if tache.cree_par_id != assignee.pk:
        notification_creer(gabarit="crm_tache", destinataire=assignee, contexte={"tache": tache})
    return tache


@transaction.atomic
def tache_terminer(*, tache: Tache, par: User) -> Tache:
    Tache.objects.filter(pk=tache.pk, faite_le__isnull=True).update(faite_le=timezone.now())
    tache.refresh_from_db()
    return tache


@transaction.atomic
def taches_rappeler(*, aujourd_hui=None) -> int:
    """Each morning, one email per agent listing their open tasks due today or overdue; once a day
    whatever runs it (the day is claimed in this transaction). Returns how many were written."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    if not periode_reclamer("crm_rappel_taches", jour_iso(aujourd_hui)):
        return 0
    par_agent: dict[int, list[Tache]] = {}
    taches = (
        Tache.objects.ouvertes()
        .filter(echeance__lte=aujourd_hui, assignee__is_active=True)
        .select_related("assignee", "entreprise")
        .order_by("assignee_id", "echeance", "pk")
    )
    for tache in taches:
        par_agent.setdefault(tache.assignee_id, []).append(tache)
    for liste in par_agent.values():
        notification_creer(
            gabarit="crm_taches_rappel",
            destinataire=liste[0].assignee,
            contexte={"taches": liste, "aujourd_hui": aujourd_hui},
        )
    return len(par_agent)


# --- Requests (sollicitations) ------------------------------------------------------------------


def destinataires_sollicitation(*, commune: Commune, direction: Direction) -> list[User]:
    """The agents assigned to the commune's EPCI for the direction (empty: the direction's inbox)."""
    affectations = Affectation.objects.pour(epci=commune.epci, direction=direction).select_related("agent")
    return [affectation.agent for affectation in affectations if affectation.agent.is_staff]


@transaction.atomic
def sollicitation_creer(*, commune: Commune, besoin: str, par: User | None = None, **champs) -> Sollicitation:
    """Record a request and route it to the territory's agents, else to the direction's inbox."""
    direction = champs.pop("direction", None) or Direction.objects.get(code=DIRECTION_PAR_BESOIN[besoin])
    sollicitation = Sollicitation(commune=commune, besoin=besoin, direction=direction, cree_par=par, **champs)
    saisie = "".join(sollicitation.entreprise_saisie.split())
    if saisie.isdigit() and not sollicitation.etablissement_id and len(saisie) == 14:
        sollicitation.etablissement = Etablissement.objects.filter(siret=saisie).first()
    if saisie.isdigit() and not sollicitation.entreprise_id and len(saisie) in (9, 14):
        sollicitation.entreprise = Entreprise.objects.filter(siren=saisie[:9]).first()
    if sollicitation.etablissement_id and not sollicitation.entreprise_id:
        sollicitation.entreprise_id = sollicitation.etablissement.entreprise_id
    if sollicitation.origine == Sollicitation.Origine.FORMULAIRE and not sollicitation.consentement:
        raise ValidationError({"consentement": "Votre accord est nécessaire pour que la Région vous recontacte."})
    sollicitation.full_clean()
    sollicitation.save()
    _router(sollicitation)
    if sollicitation.entreprise_id:
        accompagnements_recalculer(entreprise_id=sollicitation.entreprise_id)
    return sollicitation


def _router(sollicitation: Sollicitation) -> None:
    """The territory's agents, else the direction's mailbox, else pilotage; what happened is kept
    (`acheminement`) so that the company is told the truth."""
    agents = destinataires_sollicitation(commune=sollicitation.commune, direction=sollicitation.direction)
    sollicitation.assignes.set(agents)
    acheminement = destinataires_avec_repli(personnes=agents, direction=sollicitation.direction)
    sollicitation.acheminement = acheminement.niveau
    sollicitation.save(update_fields=["acheminement"])
    contexte = {"sollicitation": sollicitation, "boite_direction": acheminement.niveau != Niveau.PERSONNES}
    for destinataire in acheminement.destinataires:
        notification_creer(gabarit="crm_sollicitation_nouvelle", destinataire=destinataire, contexte=contexte)


def _verifier_ouverte(sollicitation: Sollicitation, action: str) -> None:
    if sollicitation.statut not in MACHINE_SOLLICITATION.actions[action]:
        raise ValidationError(f"Cette demande est déjà « {sollicitation.get_statut_display()} ».")


@transaction.atomic
def sollicitation_prendre_en_charge(*, sollicitation: Sollicitation, par: User) -> Sollicitation:
    """An agent takes the request; the company is told by email."""
    sollicitation = Sollicitation.objects.select_for_update().get(pk=sollicitation.pk)
    if sollicitation.statut not in MACHINE_SOLLICITATION.actions["prendre"]:
        raise ValidationError("Cette demande a déjà été prise en charge.")
    sollicitation.statut = Sollicitation.Statut.PRISE_EN_CHARGE
    sollicitation.prise_en_charge_le = timezone.now()
    sollicitation.prise_en_charge_par = par
    sollicitation.save(update_fields=["statut", "prise_en_charge_le", "prise_en_charge_par"])
    sollicitation.assignes.add(par)
    notification_creer(
        gabarit="crm_sollicitation_prise",
        destinataire=sollicitation.email,
        contexte={"sollicitation": sollicitation, "agent": par},
    )
    return sollicitation


@transaction.atomic
def sollicitation_repondre(*, sollicitation: Sollicitation, par: User, reponse: str) -> Sollicitation:
    sollicitation = Sollicitation.objects.select_for_update().get(pk=sollicitation.pk)
    _verifier_ouverte(sollicitation, "repondre")
    if not reponse.strip():
        raise ValidationError({"reponse": "Décrivez la réponse apportée."})
    maintenant = timezone.now()
    if sollicitation.prise_en_charge_le is None:
        sollicitation.prise_en_charge_le, sollicitation.prise_en_charge_par = maintenant, par
    sollicitation.statut = Sollicitation.Statut.REPONDUE
    sollicitation.repondue_le = maintenant
    sollicitation.reponse = reponse.strip()
    sollicitation.save()
    # The written answer is the company's: it receives it, with who answered.
    notification_creer(
        gabarit="crm_sollicitation_reponse",
        destinataire=sollicitation.email,
        contexte={"sollicitation": sollicitation, "agent": par},
    )
    return sollicitation


@transaction.atomic
def sollicitation_reorienter(
    *,
    sollicitation: Sollicitation,
    par: User,
    direction: Direction | None = None,
    structure: Structure | None = None,
    motif: str = "",
) -> Sollicitation:
    """Send the request to another direction (routed again there) or to a partner."""
    sollicitation = Sollicitation.objects.select_for_update().get(pk=sollicitation.pk)
    _verifier_ouverte(sollicitation, "reorienter")
    if (direction is None) == (structure is None):
        raise ValidationError("Choisissez soit une autre direction, soit un partenaire.")
    if direction is not None and direction.pk == sollicitation.direction_id:
        raise ValidationError({"direction": "La demande est déjà dans cette direction."})
    sollicitation.statut = Sollicitation.Statut.REORIENTEE
    sollicitation.reorientee_vers_direction = direction
    sollicitation.reorientee_vers_structure = structure
    sollicitation.reponse = motif
    sollicitation.repondue_le = timezone.now()
    sollicitation.save()
    if direction is not None:
        # A new request in the other direction, routed to its agents on the territory.
        nouvelle = Sollicitation.objects.create(
            origine=Sollicitation.Origine.AGENT,
            nom=sollicitation.nom,
            email=sollicitation.email,
            telephone=sollicitation.telephone,
            entreprise_saisie=sollicitation.entreprise_saisie,
            entreprise=sollicitation.entreprise,
            etablissement=sollicitation.etablissement,
            commune=sollicitation.commune,
            besoin=sollicitation.besoin,
            message=f"Réorientée par {par} ({sollicitation.direction.code}) : {motif}\n\n{sollicitation.message}",
            consentement=sollicitation.consentement,
            direction=direction,
            cree_par=par,
        )
        _router(nouvelle)
    return sollicitation


@transaction.atomic
def sollicitation_clore(*, sollicitation: Sollicitation, par: User, motif: str = "") -> Sollicitation:
    sollicitation = Sollicitation.objects.select_for_update().get(pk=sollicitation.pk)
    _verifier_ouverte(sollicitation, "clore")
    sollicitation.statut = Sollicitation.Statut.CLOSE
    sollicitation.close_le = timezone.now()
    if motif:
        sollicitation.reponse = motif
    sollicitation.save()
    return sollicitation


def pilotes_direction(direction: Direction) -> list[User]:
    groupe = Group.objects.filter(name=Role.PILOTAGE.value)
    return list(User.objects.agents().filter(direction=direction, groups__in=groupe).distinct())


def sollicitations_relancer(*, maintenant=None) -> dict[str, int]:
    """Remind the assignees of requests not taken after 2 working days; alert the direction's
    pilotage about requests unanswered after 10. Each reminder is sent once (claimed row)."""
    maintenant = maintenant or timezone.now()
    local = timezone.localtime(maintenant)
    compte = {"relances": 0, "alertes": 0, "sans_destinataire": 0}

    seuil_relance = retirer_jours_ouvres(local, DELAI_RELANCE_JOURS_OUVRES)
    a_relancer = Sollicitation.objects.filter(
        statut=Sollicitation.Statut.NOUVELLE, relance_le__isnull=True, cree_le__lte=seuil_relance
    ).values_list("pk", flat=True)
    for pk in list(a_relancer):
        with transaction.atomic():
            sollicitation = (
                Sollicitation.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("direction", "commune")
                .filter(pk=pk, relance_le__isnull=True)
                .first()
            )
            if sollicitation is None:
                continue  # another run has it
            acheminement = destinataires_avec_repli(
                personnes=sollicitation.assignes.all(), direction=sollicitation.direction
            )
            if not acheminement:
                compte["sans_destinataire"] += 1  # not marked: the next run tries again
                continue
            for destinataire in acheminement.destinataires:
                notification_creer(
                    gabarit="crm_sollicitation_relance",
                    destinataire=destinataire,
                    contexte={"sollicitation": sollicitation},
                )
            Sollicitation.objects.filter(pk=pk).update(relance_le=maintenant)
            compte["relances"] += 1

    seuil_alerte = retirer_jours_ouvres(local, DELAI_ALERTE_JOURS_OUVRES)
    a_alerter = Sollicitation.objects.ouvertes().filter(alerte_le__isnull=True, cree_le__lte=seuil_alerte)
    for pk in list(a_alerter.values_list("pk", flat=True)):
        with transaction.atomic():
            sollicitation = (
                Sollicitation.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("direction", "commune")
                .filter(pk=pk, alerte_le__isnull=True)
                .first()
            )
            if sollicitation is None:
                continue
            # The escalation is for pilotage: the direction's, else the mailbox, else pilotage as a whole.
            pilotes = pilotes_direction(sollicitation.direction)
            acheminement = destinataires_avec_repli(personnes=pilotes, direction=sollicitation.direction)
            if not acheminement:
                compte["sans_destinataire"] += 1
                continue
            for destinataire in acheminement.destinataires:
                notification_creer(
                    gabarit="crm_sollicitation_alerte",
                    destinataire=destinataire,
                    contexte={"sollicitation": sollicitation},
                )
            Sollicitation.objects.filter(pk=pk).update(alerte_le=maintenant)
            compte["alertes"] += 1
    return compte
