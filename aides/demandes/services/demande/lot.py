"""Batch actions of the instruction inbox: the same action on many files, each through its own
service in its own transaction (one refused file never undoes the others), with a French summary."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError

from aides.demandes.models.demande import Demande, Statut
from aides.demandes.services.demande.depot import ConflitDeVersion
from aides.demandes.services.demande.instruction import (
    complement_demander,
    demande_assigner,
    demande_decider,
    instruction_commencer,
)
from portal.models import User
from portal.templatetags.portail import pluriel

LOT_MAX = 200


@dataclass
class ResultatLot:
    traites: list[str] = field(default_factory=list)
    echecs: list[tuple[str, str]] = field(default_factory=list)  # (numéro, raison)

    def resume(self) -> str:
        n, e = len(self.traites), len(self.echecs)
        texte = f"{n} dossier{pluriel(n)} traité{pluriel(n)}"
        if self.echecs:
            raisons = " ; ".join(f"{numero} : {raison}" for numero, raison in self.echecs)
            texte += f", {e} non traité{pluriel(e)} parce que : {raisons}"
        return texte + "."


def _raison(erreur: Exception) -> str:
    if isinstance(erreur, ConflitDeVersion):
        return erreur.message
    return " ".join(dict.fromkeys(erreur.messages))


def lot_traiter(
    *,
    demandes: list[Demande],
    action: str,
    par: User,
    instructeur: User | None = None,
    texte: str = "",
    decision: str = "",
    motif: str = "",
    date_commission: date | None = None,
    numero_deliberation: str = "",
) -> ResultatLot:
    """`action`: « attribuer », « commencer », « complement » or « decision » (a commission's decision:
    each granted file gets the amount it asked for; another amount is set file by file)."""
    if len(demandes) > LOT_MAX:
        raise ValidationError(f"Sélectionnez au plus {LOT_MAX} dossiers à la fois.")
    resultat = ResultatLot()
    for demande in demandes:
        commun = {"demande_id": demande.pk, "version": demande.version, "par": par}
        try:
            if action == "attribuer":
                demande_assigner(**commun, instructeur=instructeur)
            elif action == "commencer":
                instruction_commencer(**commun)
            elif action == "complement":
                complement_demander(**commun, texte=texte)
            elif action == "decision":
                demande_decider(
                    **commun,
                    decision=decision,
                    motif=motif,
                    montant_accorde=demande.montant_demande if decision == Statut.ACCORDEE else None,
                    date_commission=date_commission,
                    numero_deliberation=numero_deliberation,
                )
            else:
                raise ValidationError("Action inconnue.")
        except (ValidationError, ConflitDeVersion) as erreur:
            resultat.echecs.append((demande.numero_depot, _raison(erreur)))
        else:
            resultat.traites.append(demande.numero_depot)
    return resultat
