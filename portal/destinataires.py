"""Who receives what nobody in particular receives: one fallback chain for every routed item.

The people concerned (assigned agents, instructors…), else the direction's shared mailbox
(`Direction.email_partage`, set in the admin), else the direction's pilotage, else pilotage as a
whole. When even that is empty the caller knows it (`niveau == AUCUN`) and must say so, never
pretend something was sent.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from .models import Direction, User
from .roles import Role


class Niveau:
    PERSONNES = "personnes"
    BOITE_DIRECTION = "boite_direction"
    PILOTAGE = "pilotage"
    AUCUN = "aucun"


@dataclass
class Acheminement:
    niveau: str
    destinataires: list[User | str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.destinataires)


def pilotage(direction: Direction | None = None) -> list[User]:
    agents = User.objects.agents().filter(groups__name=Role.PILOTAGE.value)
    if direction is not None:
        agents = agents.filter(direction=direction)
    return list(agents.distinct().order_by("last_name", "pk"))


def destinataires_avec_repli(*, personnes: Iterable[User | str], direction: Direction | None) -> Acheminement:
    personnes = [p for p in personnes if p]
    if personnes:
        return Acheminement(Niveau.PERSONNES, personnes)
    if direction is not None and direction.email_partage:
        return Acheminement(Niveau.BOITE_DIRECTION, [direction.email_partage])
    pilotes = (pilotage(direction) if direction is not None else []) or pilotage()
    if pilotes:
        return Acheminement(Niveau.PILOTAGE, pilotes)
    return Acheminement(Niveau.AUCUN, [])
