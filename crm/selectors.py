"""Reads of the CRM: search, company page, inboxes, personal data export."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from statistics import median

from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Exists, F, Func, Max, OuterRef, Prefetch, QuerySet, TextField, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from portal.models import Direction, User
from portal.roles import Role
from territoires.normalisation import normaliser

from .models import Accompagnement, Contact, Entreprise, Etablissement, Interaction, Sollicitation, Tache
from .timeline import Evenement, moment, source_enregistrer


class Accompagne:
    MA_DIRECTION = "ma_direction"
    AUTRE = "autre"
    JAMAIS = "jamais"
    CHOIX = [
        ("", "Peu importe"),
        (MA_DIRECTION, "Accompagnée par ma direction"),
        (AUTRE, "Accompagnée par une autre direction"),
        (JAMAIS, "Jamais accompagnée"),
    ]


MOTS_MAX = 5
# pg_trgm's default (0.6) misses one dropped letter in a 7-letter name; 0.5 tolerates it.
SEUIL_MOT = 0.5


@contextmanager
def recherche_tolerante() -> Iterator[None]:
    """Run the queries of a name search with the word-similarity threshold SEUIL_MOT, and only them.

    The `%>` operator (the only form the trigram index serves) reads the threshold from the setting
    `pg_trgm.word_similarity_threshold`. It is set with `set_config(..., true)`, which lasts until the
    end of the transaction opened here: a session-level setting would stay on the persistent
    connection and change every later word-similarity query of the process. Evaluate the search's
    queryset inside the block (outside it, the search falls back to pg_trgm's stricter default).
    """
    with transaction.atomic():
        with connection.cursor() as curseur:
            curseur.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)", [str(SEUIL_MOT)])
        yield


def normaliser_sql(texte: str) -> Func:
    return Func(Value(texte), function="crm_normaliser", output_field=TextField())


def etablissements_rechercher(*, texte: str = "") -> QuerySet[Etablissement]:
    """Establishments by name (accent-insensitive, typo-tolerant) or SIREN/SIRET prefix.

    The staff search page adds its filters with `crm.filters.EtablissementFilterSet`. Evaluate the
    queryset inside `recherche_tolerante()` so that a name search tolerates typos.
    """
    return etablissements_par_texte(etablissements_liste(), texte)


def etablissements_liste() -> QuerySet[Etablissement]:
    return Etablissement.objects.select_related("entreprise", "commune__epci").order_by("nom_recherche", "siret")


def etablissements_par_texte(qs: QuerySet[Etablissement], texte: str) -> QuerySet[Etablissement]:
    texte = (texte or "").strip()
    chiffres = texte.replace(" ", "")
    if chiffres.isdigit():
        return qs.filter(siret__startswith=chiffres).order_by("siret")
    if not texte:
        return qs
    # Every word typed must be close to a word of the name (one GIN trigram condition per word):
    # « boulangerie dupont » finds « BOULANGERIE DUPONT ET FILS », not every other bakery.
    mots = [mot for mot in normaliser(texte).split() if len(mot) > 2][:MOTS_MAX] or [normaliser(texte)]
    for mot in mots:
        qs = qs.filter(nom_recherche__trigram_word_similar=normaliser_sql(mot))
    qs = qs.annotate(pertinence=TrigramWordSimilarity(normaliser_sql(texte), "nom_recherche"))
    return qs.order_by("-pertinence", "nom_recherche", "siret")


def etablissements_par_accompagnement(
    qs: QuerySet[Etablissement], accompagnement: str, direction: Direction | None
) -> QuerySet[Etablissement]:
    """Supported by the agent's direction, by another one, or never (Accompagne)."""
    accompagnements = Accompagnement.objects.filter(entreprise=OuterRef("entreprise_id"))
    if accompagnement == Accompagne.JAMAIS:
        return qs.filter(~Exists(accompagnements))
    if direction is not None and accompagnement == Accompagne.MA_DIRECTION:
        return qs.filter(Exists(accompagnements.filter(direction=direction)))
    if accompagnement == Accompagne.AUTRE:
        autres = accompagnements.exclude(direction=direction) if direction is not None else accompagnements
        return qs.filter(Exists(autres))
    return qs


def entreprise_detail(siren: str) -> QuerySet[Entreprise]:
    return Entreprise.objects.select_related("referent__direction").filter(siren=siren)


ETABLISSEMENTS_AFFICHES = 50


def entreprise_fiche(entreprise: Entreprise) -> dict:
    """Everything the company page shows besides the timeline, in a fixed number of queries."""
    accompagnements = list(
        Accompagnement.objects.filter(entreprise=entreprise).select_related("direction").order_by("direction__code")
    )
    derniere_reponse = Sollicitation.objects.filter(entreprise=entreprise, repondue_le__isnull=False).aggregate(
        d=Max("repondue_le")
    )["d"]
    return {
        # A chain can have hundreds of establishments: the page shows the first ones, the search the rest.
        "etablissements": list(
            entreprise.etablissements.select_related("commune__epci").order_by("-siege", "siret")[
                : ETABLISSEMENTS_AFFICHES + 1
            ]
        ),
        "etablissements_max": ETABLISSEMENTS_AFFICHES,
        "contacts": list(entreprise.contacts.actifs()),
        "taches": list(
            Tache.objects.ouvertes().filter(entreprise=entreprise).select_related("assignee", "interaction")
        ),
        "accompagnements": accompagnements,
        "derniere_reponse": derniere_reponse,
        "changements_referent": list(entreprise.changements_referent.select_related("ancien", "nouveau", "par")[:5]),
    }


def interactions_avec_details() -> QuerySet[Interaction]:
    return Interaction.objects.select_related("auteur", "etablissement__commune").prefetch_related(
        Prefetch("agents", queryset=User.objects.select_related("direction").order_by("last_name")),
        "contacts",
        "structures",
        Prefetch("taches", queryset=Tache.objects.select_related("assignee")),
    )


@source_enregistrer
def evenements_interactions(entreprise: Entreprise) -> list[Evenement]:
    evenements = []
    for interaction in interactions_avec_details().filter(entreprise=entreprise):
        agents = list(interaction.agents.all())
        directions = sorted({a.direction.code for a in agents if a.direction_id})
        evenements.append(
            Evenement(
                quand=moment(interaction.date),
                genre="interaction",
                libelle=interaction.get_type_display(),
                titre=interaction.objet,
                url=reverse("crm_agents:interaction", args=[interaction.pk]),
                directions=directions,
                personnes=[str(a) for a in agents],
                resume=interaction.notes,
                objet=interaction,
                gabarit="crm/evenements/_interaction.html",
            )
        )
    return evenements


@source_enregistrer
def evenements_sollicitations(entreprise: Entreprise) -> list[Evenement]:
    evenements = []
    for sollicitation in Sollicitation.objects.filter(entreprise=entreprise).select_related(
        "direction", "prise_en_charge_par"
    ):
        evenements.append(
            Evenement(
                quand=sollicitation.cree_le,
                genre="sollicitation",
                libelle="Demande reçue",
                titre=f"{sollicitation.get_besoin_display()} – {sollicitation.get_statut_display()}",
                url=reverse("crm_agents:sollicitation", args=[sollicitation.pk]),
                directions=[sollicitation.direction.code],
                resume=sollicitation.reponse or sollicitation.message,
                objet=sollicitation,
                gabarit="crm/evenements/_sollicitation.html",
            )
        )
    return evenements


def interactions_de(agent: User) -> QuerySet[Interaction]:
    """Interactions the agent took part in: a joint visit appears in each participant's list."""
    return interactions_avec_details().filter(agents=agent).select_related("entreprise")


def voit_toutes_directions(agent: User) -> bool:
    """Pilotage and administrators steer every direction's requests, not only their own."""

    return agent.a_role(Role.PILOTAGE, Role.ADMINISTRATEUR)


def sollicitations_liste() -> QuerySet[Sollicitation]:
    """Requests with what the inbox shows; crm.filters.SollicitationFilterSet picks the agent's tab."""
    return (
        Sollicitation.objects.select_related("commune__epci", "direction", "entreprise")
        .prefetch_related("assignes")
        .order_by("-cree_le")
    )


def delais_direction(direction: Direction | None, *, jours: int = 90, limite: int = 500, toutes: bool = False) -> dict:
    """Median delays, in working days, of the direction's requests of the last `jours` days (one query);
    of every direction's when `toutes` (pilotage)."""
    if direction is None and not toutes:
        return {}
    depuis = timezone.now() - timedelta(days=jours)
    requetes = Sollicitation.objects.filter(cree_le__gte=depuis)
    if not toutes:
        requetes = requetes.filter(direction=direction)
    lignes = list(
        requetes.only("cree_le", "prise_en_charge_le", "repondue_le", "close_le", "statut").order_by("-cree_le")[
            :limite
        ]
    )
    prises = [s.delai_prise_en_charge for s in lignes if s.prise_en_charge_le]
    reponses = [s.delai_reponse for s in lignes if s.repondue_le]
    return {
        "jours": jours,
        "toutes": toutes,
        "recues": len(lignes),
        "en_attente": sum(1 for s in lignes if s.statut == Sollicitation.Statut.NOUVELLE),
        "prise_en_charge": median(prises) if prises else None,
        "reponse": median(reponses) if reponses else None,
    }


def personne_donnees(email: str) -> dict:
    """Everything held on a person (access request, GDPR art. 15), found by their email."""
    email = email.strip()
    contacts = Contact.objects.filter(email__iexact=email).select_related("entreprise")
    resultat = {"email": email, "extrait_le": timezone.now().isoformat(), "contacts": [], "sollicitations": []}
    interactions_par_contact: dict[int, list] = {}
    for interaction in (
        Interaction.objects.filter(contacts__email__iexact=email)
        .annotate(contact_id=F("contacts__id"))
        .select_related("entreprise", "auteur")
    ):
        interactions_par_contact.setdefault(interaction.contact_id, []).append(
            {
                "date": interaction.date.isoformat(),
                "type": interaction.get_type_display(),
                "objet": interaction.objet,
                "notes": interaction.notes,
                "entreprise": interaction.entreprise.denomination,
                "auteur": str(interaction.auteur),
            }
        )
    for contact in contacts:
        resultat["contacts"].append(
            {
                "prenom": contact.prenom,
                "nom": contact.nom,
                "fonction": contact.fonction,
                "email": contact.email,
                "telephone": contact.telephone,
                "entreprise": {"siren": contact.entreprise.siren, "denomination": contact.entreprise.denomination},
                "base_legale": contact.get_base_legale_display(),
                "conserve_jusqu_au": contact.conserver_jusquau.isoformat(),
                "cree_le": contact.cree_le.isoformat(),
                "interactions": interactions_par_contact.get(contact.pk, []),
            }
        )
    for sollicitation in Sollicitation.objects.filter(email__iexact=email).select_related("commune", "direction"):
        resultat["sollicitations"].append(
            {
                "recue_le": sollicitation.cree_le.isoformat(),
                "nom": sollicitation.nom,
                "email": sollicitation.email,
                "telephone": sollicitation.telephone,
                "entreprise": sollicitation.entreprise_saisie,
                "commune": sollicitation.commune.nom,
                "besoin": sollicitation.get_besoin_display(),
                "message": sollicitation.message,
                "consentement": sollicitation.consentement,
                "statut": sollicitation.get_statut_display(),
                "direction": sollicitation.direction.nom,
                "reponse": sollicitation.reponse,
            }
        )
    return resultat


def agents_actifs() -> QuerySet[User]:
    return User.objects.agents().select_related("direction").order_by("last_name", "first_name")


class PaginatorPlafonne(Paginator):
    """Pages of a search that counts at most PLAFOND rows.

    The costly part of a broad name search is matching and ranking the rows: it runs once, for the
    ids of the first PLAFOND + 1 rows; the count and the page's rows are read from that list.
    """

    PLAFOND = 1000

    @cached_property
    def _ids(self) -> list[int]:
        return list(self.object_list.values_list("pk", flat=True)[: self.PLAFOND + 1])

    @cached_property
    def count(self) -> int:
        return len(self._ids)

    @property
    def plafonne(self) -> bool:
        return self.count > self.PLAFOND

    def page(self, number):
        number = self.validate_number(number)
        debut = (number - 1) * self.per_page
        ids = self._ids[debut : debut + self.per_page]
        lignes = self.object_list.model._default_manager.filter(pk__in=ids)
        lignes.query.select_related = self.object_list.query.select_related
        par_id = {ligne.pk: ligne for ligne in lignes}
        return self._get_page([par_id[i] for i in ids if i in par_id], number, self)
