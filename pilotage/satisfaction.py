"""The satisfaction loop (« retour d'expérience »).

After a request is answered or closed, and after a decision on an application, the company gets
one short survey by email: two questions and a comment, through a signed link (no login), answered
once. The periodic sweep `enquetes_envoyer` creates the surveys: one per request and one per
application at most (a unique constraint claims each), so running it twice, or in two workers,
never sends a second email.
"""

from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from aides.models import Demande, Statut
from crm.models import Sollicitation
from crm.timeline import Evenement
from portal.services import notification_creer

from .models import Enquete, MembrePanel, ReponseEnquete

SEL = "pilotage.enquete"
VALIDITE_LIEN = timedelta(days=90)
# Only recent events get a survey (not the whole history the day this ships).
FENETRE = timedelta(days=14)
LOT = 500


def jeton_enquete(enquete: Enquete) -> str:
    return signing.dumps({"e": enquete.pk}, salt=SEL, compress=True)


def enquete_depuis_jeton(jeton: str) -> Enquete | None:
    """The survey of a signed link, or None when the link is altered or expired."""
    try:
        donnees = signing.loads(jeton, salt=SEL, max_age=VALIDITE_LIEN)
    except signing.BadSignature:
        return None
    return Enquete.objects.select_related("direction", "dispositif", "entreprise").filter(pk=donnees.get("e")).first()


def _creer(enquete: Enquete) -> bool:
    """Insert the survey and its email in one transaction; False when another run claimed it."""
    try:
        with transaction.atomic():
            enquete.full_clean(validate_unique=False, validate_constraints=False)
            enquete.save()
            notification_creer(
                gabarit="pilotage_enquete",
                destinataire=enquete.email,
                contexte={"enquete": enquete, "lien": reverse("enquete", args=[jeton_enquete(enquete)])},
            )
    except IntegrityError:
        return False
    return True


def enquetes_envoyer(*, maintenant=None) -> int:
    """Create and send the surveys of requests answered or closed, and of applications decided, in
    the last FENETRE that have none yet. Returns how many were sent."""
    maintenant = maintenant or timezone.now()
    depuis = maintenant - FENETRE
    envoyees = 0
    sollicitations = (
        Sollicitation.objects.filter(enquete__isnull=True, anonymisee_le__isnull=True)
        .filter(statut__in=[Sollicitation.Statut.REPONDUE, Sollicitation.Statut.CLOSE])
        .filter(Q(repondue_le__gte=depuis) | Q(close_le__gte=depuis))
        .order_by("pk")[:LOT]
    )
    for s in sollicitations:
        envoyees += _creer(
            Enquete(
                occasion=Enquete.Occasion.SOLLICITATION,
                sollicitation=s,
                entreprise_id=s.entreprise_id,
                direction_id=s.direction_id,
                commune_id=s.commune_id,
                email=s.email,
            )
        )
    demandes = (
        Demande.objects.filter(
            enquete__isnull=True, statut__in=[Statut.ACCORDEE, Statut.REFUSEE], decidee_le__gte=depuis
        )
        .select_related("dispositif", "etablissement", "demandeur")
        .order_by("pk")[:LOT]
    )
    for dem in demandes:
        envoyees += _creer(
            Enquete(
                occasion=Enquete.Occasion.DECISION,
                demande=dem,
                entreprise_id=dem.etablissement.entreprise_id,
                direction_id=dem.dispositif.direction_id,
                dispositif_id=dem.dispositif_id,
                commune_id=dem.etablissement.commune_id,
                email=dem.demandeur.email,
            )
        )
    return envoyees


@transaction.atomic
def enquete_repondre(
    *,
    enquete: Enquete,
    utilite: int,
    simplicite: int,
    commentaire: str = "",
    panel_nom: str = "",
    panel_fonction: str = "",
) -> ReponseEnquete:
    """Record the answer; a second answer is refused (the answer's primary key is the survey)."""
    if ReponseEnquete.objects.filter(enquete=enquete).exists():
        raise ValidationError("Vous avez déjà répondu à cette enquête : merci !")
    reponse = ReponseEnquete(enquete=enquete, utilite=utilite, simplicite=simplicite, commentaire=commentaire.strip())
    reponse.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            reponse.save(force_insert=True)
    except IntegrityError:
        raise ValidationError("Vous avez déjà répondu à cette enquête : merci !") from None
    if panel_nom.strip():
        membre = MembrePanel.objects.filter(email__iexact=enquete.email).first() or MembrePanel(email=enquete.email)
        membre.nom = panel_nom.strip()
        membre.fonction = panel_fonction.strip()
        membre.entreprise_id = enquete.entreprise_id
        membre.enquete = enquete
        membre.full_clean(validate_unique=False)
        membre.save()
    return reponse


# --- On the company timeline -----------------------------------------------------------------------


def evenements_enquetes(entreprise) -> list[Evenement]:
    """The answers of the company to the surveys (a source of crm.timeline)."""
    evenements = []
    for reponse in ReponseEnquete.objects.filter(enquete__entreprise=entreprise).select_related(
        "enquete__direction", "enquete__dispositif", "enquete__sollicitation", "enquete__demande"
    ):
        enquete = reponse.enquete
        if enquete.sollicitation_id:
            url = reverse("crm_agents:sollicitation", args=[enquete.sollicitation_id])
        else:
            url = reverse("aides_instruction:demande", args=[enquete.demande_id])
        evenements.append(
            Evenement(
                quand=reponse.repondue_le,
                genre="enquete",
                libelle="Avis de l'entreprise",
                titre=f"{enquete.get_occasion_display()} : utilité {reponse.get_utilite_display().lower()}, "
                f"simplicité {reponse.get_simplicite_display().lower()}",
                url=url,
                directions=[enquete.direction.code],
                resume=reponse.commentaire,
                objet=reponse,
            )
        )
    return evenements
