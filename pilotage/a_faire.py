"""The « à faire » blocks of the staff dashboard (registered in portal.tableau by PilotageConfig).

Each block concerns some roles, runs one query and links to the list filtered to exactly the rows
counted (the lists accept these GET parameters).
"""

from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from aides.demandes.selectors import condition_hors_delai
from aides.models import STATUTS_EN_COURS, ConventionAide, Demande, Etape, Versement
from crm.models import Sollicitation
from portal.roles import Role
from portal.tableau import AFaire
from territoires.models import ConventionTerritoriale
from territoires.selectors_conventions import JOURS_EXPIRATION_PROCHE


def roles(user) -> set[str]:
    """The user's role names, read once per request (the blocks ask several times)."""
    if not hasattr(user, "_roles_tableau"):
        tous = {r.value for r in Role}
        user._roles_tableau = tous if user.is_superuser else {g.name for g in user.groups.all()}
    return user._roles_tableau


def _url(nom: str, **parametres) -> str:
    return reverse(nom) + ("?" + urlencode(parametres) if parametres else "")


def sollicitations_en_retard(user) -> list[AFaire]:
    """Every agent can be assigned requests: mine past their deadline."""
    nombre = Sollicitation.objects.pour_agent(user).ouvertes().en_retard().count()
    return [
        AFaire(
            code="sollicitations_en_retard",
            libelle="Mes demandes reçues en retard",
            nombre=nombre,
            url=_url("crm_agents:sollicitations", onglet="miennes", statut="ouvertes", retard="1"),
            detail="non prises en charge après 2 jours ouvrés, ou sans réponse après 10",
            urgent=nombre > 0,
        )
    ]


def instruction(user) -> list[AFaire]:
    if not roles(user) & {Role.INSTRUCTEUR, Role.ADMINISTRATEUR, Role.PILOTAGE}:
        return []
    demandes = Demande.objects.filter(statut__in=STATUTS_EN_COURS)
    portee = {}
    if Role.INSTRUCTEUR in roles(user) and not roles(user) & {Role.ADMINISTRATEUR, Role.PILOTAGE} and user.direction_id:
        demandes = demandes.filter(dispositif__direction_id=user.direction_id)
        portee = {"direction": user.direction_id}
    comptes = demandes.aggregate(
        mes=Count("pk", filter=Q(instructeur=user)),
        hors_delai=Count("pk", filter=condition_hors_delai()),
        non_attribuees=Count("pk", filter=Q(instructeur__isnull=True)),
    )
    return [
        AFaire(
            code="instruction_hors_delai",
            libelle="Dossiers en instruction au-delà du délai cible",
            nombre=comptes["hors_delai"],
            url=_url("aides_instruction:boite", en_retard="on", **portee),
            detail="déposés depuis plus longtemps que le délai d'instruction cible de leur dispositif",
            urgent=comptes["hors_delai"] > 0,
        ),
        AFaire(
            code="instruction_miens",
            libelle="Dossiers qui me sont attribués, en cours",
            nombre=comptes["mes"],
            url=_url("aides_instruction:boite", mes_demandes="on"),
        ),
        AFaire(
            code="instruction_non_attribues",
            libelle="Dossiers en cours attribués à personne",
            nombre=comptes["non_attribuees"],
            url=_url("aides_instruction:boite", non_attribuees="on", **portee),
        ),
    ]


def conventions_aide(user) -> list[AFaire]:
    mes_roles = roles(user)
    elements = []
    if mes_roles & {Role.GESTIONNAIRE_SAF, Role.ADMINISTRATEUR}:
        comptes = {
            "miennes": ConventionAide.objects.filter(en_cours=True, gestionnaire=user).count(),
            # Few payments wait for a check at any time: count them from the payments' side.
            "versements": Versement.objects.filter(etat=Versement.Etat.DEMANDE)
            .values("convention_id")
            .distinct()
            .count(),
        }
        elements += [
            AFaire(
                code="conventions_miennes",
                libelle="Conventions en cours dont je suis gestionnaire",
                nombre=comptes["miennes"],
                url=_url("aides_saf:tableau", miennes="on"),
            ),
            AFaire(
                code="versements_a_controler",
                libelle="Conventions avec un versement à contrôler",
                nombre=comptes["versements"],
                url=_url("aides_saf:tableau", versements="on"),
                urgent=comptes["versements"] > 0,
            ),
        ]
    if user.has_perm("aides.signer_convention_region"):
        nombre = ConventionAide.objects.filter(etape=Etape.SIGNEE_BENEFICIAIRE).count()
        elements.append(
            AFaire(
                code="conventions_a_signer",
                libelle="Conventions à signer pour la Région",
                nombre=nombre,
                url=_url("aides_saf:tableau", etape=Etape.SIGNEE_BENEFICIAIRE),
                detail="déjà signées par le bénéficiaire",
                urgent=nombre > 0,
            )
        )
    return elements


def conventions_epci(user) -> list[AFaire]:
    if not roles(user) & {Role.PILOTAGE, Role.CHARGE_DE_MISSION, Role.ADMINISTRATEUR}:
        return []
    aujourd_hui = timezone.localdate()
    # As on the coverage map: an EPCI whose soonest-ending convention in force ends within 90 days.
    nombre = (
        ConventionTerritoriale.objects.filter(
            statut=ConventionTerritoriale.Statut.SIGNEE,
            date_debut__lte=aujourd_hui,
            date_fin__gte=aujourd_hui,
            date_fin__lte=aujourd_hui + timedelta(days=JOURS_EXPIRATION_PROCHE),
        )
        .values("epci_id")
        .distinct()
        .count()
    )
    return [
        AFaire(
            code="conventions_epci_expirent",
            libelle=f"EPCI dont une convention expire dans moins de {JOURS_EXPIRATION_PROCHE} jours",
            nombre=nombre,
            url=_url("territoires_agents:couverture", etat="expire_bientot"),
            urgent=nombre > 0,
        )
    ]


BLOCS = [sollicitations_en_retard, instruction, conventions_aide, conventions_epci]
