"""The messaging of an application: the company and the instruction write to each other at any time
of the file's life, with files, read receipts and an email to the other side. A free message changes
nothing in the file's state (complement requests and their answers, which do, are in
services.demande.instruction); both live in one thread, the model `Message`."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from aides.demandes.models.demande import Demande, Message
from aides.demandes.services.demande.depot import _contexte, destinataires_agents
from aides.demandes.services.demande.pieces import piece_ajouter
from portal.models import User
from portal.permissions import peut
from portal.services import notification_creer
from portal.verification import FichierVerifie

NOMBRE_FICHIERS = 3


def _cote_instruction(user: User) -> bool:
    """True for the instruction's side (staff who may instruct the file), False for the company."""
    return bool(user.is_staff)


@transaction.atomic
def echange_envoyer(*, demande_id: int, par: User, texte: str, fichiers: list[FichierVerifie] = ()) -> Message:
    """Write a message in the thread of a deposited application and email the other side."""
    texte = (texte or "").strip()
    if not texte:
        raise ValidationError({"texte": "Écrivez votre message."})
    if len(fichiers) > NOMBRE_FICHIERS:
        raise ValidationError({"texte": f"Joignez au plus {NOMBRE_FICHIERS} fichiers à un message."})
    demande = (
        Demande.objects.select_for_update(of=("self",))
        .select_related("dispositif__direction", "etablissement__entreprise", "demandeur", "instructeur")
        .get(pk=demande_id)
    )
    if demande.est_brouillon:
        raise ValidationError("La messagerie s'ouvre quand la demande est déposée.")
    de_l_instruction = _cote_instruction(par)
    if de_l_instruction and not peut(par, "demande", "instruire", cible=demande):
        raise ValidationError("Seuls les instructeurs écrivent à l'entreprise.")
    message = Message(
        demande=demande, genre=Message.Genre.ECHANGE, auteur=par, texte=texte, de_l_instruction=de_l_instruction
    )
    message.full_clean()
    message.save()
    for verifie in fichiers:
        piece_ajouter(demande=demande, verifie=verifie, par=par, message=message)
    contexte = _contexte(demande, message=message)
    if de_l_instruction:
        notification_creer(gabarit="demande_message", destinataire=demande.demandeur, contexte=contexte)
    else:
        for agent in destinataires_agents(demande):
            notification_creer(gabarit="demande_message_agent", destinataire=agent, contexte=contexte)
    return message


def echanges_marquer_lus(*, demande: Demande, lecteur: User) -> int:
    """The reader's side has now read the other side's messages: the first reading is kept (« lu le »).
    Staff who only consult the file (SAF, FEDER) do not mark anything as read. One conditional update:
    two readers at once write the same date once."""
    if _cote_instruction(lecteur) and not peut(lecteur, "demande", "instruire", cible=demande):
        return 0
    return Message.objects.filter(
        demande=demande, lu_le__isnull=True, de_l_instruction=not _cote_instruction(lecteur)
    ).update(lu_le=timezone.now())
