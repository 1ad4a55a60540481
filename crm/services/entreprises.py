from collections.abc import Callable, Iterable
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.db.models.functions import Greatest
from django.utils import timezone

from crm.models import (
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
from crm.referentiels import BaseLegale
from portal.models import User
from portal.periodes import jour_iso, periode_reclamer
from portal.services import notification_creer


def conservation_annees() -> int:
    """Years a contact is kept after the last interaction (setting CRM_CONSERVATION_CONTACT_ANNEES)."""
    return int(getattr(settings, "CRM_CONSERVATION_CONTACT_ANNEES", 3))


def date_fin_conservation(depuis: date) -> date:
    annees = conservation_annees()
    try:
        return depuis.replace(year=depuis.year + annees)
    except ValueError:  # 29 February
        return depuis.replace(year=depuis.year + annees, day=28)


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
