"""The hand-computed data set of the statistics tests (year 2025, one dispositif of the DAEN).

Decision delays decided in 2025: 2, 4, 10, 30 days → median 7, 90th percentile 10 + 0.7 × 20 = 24.
Decision → signature: 10, 20 → median 15, p90 19. Signature → first payment: 10, 60 → 35, 55.
"""

from dataclasses import dataclass
from decimal import Decimal

from aides.catalogue.referentiels import RegimeAide, Thematique
from aides.models import DeclarationDeMinimis, Statut
from pilotage.agregats import agregats_rafraichir

from . import donnees as d
from .donnees import le


@dataclass
class Jeu:
    dispositif: object
    e1: object
    e2: object
    e3: object


def jeu_2025() -> Jeu:
    dispositif = d.DispositifFactory(
        regime=RegimeAide.DE_MINIMIS, delai_instruction_cible_jours=30, thematiques=[Thematique.INNOVATION]
    )
    e1 = d.etablissement("80021", tranche_effectifs="11", naf="62.01Z")
    e2 = d.etablissement("80021", tranche_effectifs="00", naf="10.71C")
    e3 = d.etablissement("59350", tranche_effectifs="11", naf="62.02A")
    A, R = Statut.ACCORDEE, Statut.REFUSEE
    d1 = d.demande(
        dispositif=dispositif, etablissement=e1, statut=A, depose=le(2025, 1, 10), decide=le(2025, 1, 12),
        montant_demande=Decimal("10000"), montant_accorde=Decimal("8000"),
    )  # fmt: skip
    d2 = d.demande(
        dispositif=dispositif, etablissement=e2, statut=A, depose=le(2025, 2, 1), decide=le(2025, 2, 5),
        montant_demande=Decimal("20000"), montant_accorde=Decimal("20000"),
    )  # fmt: skip
    d.demande(
        dispositif=dispositif, etablissement=e3, statut=R, depose=le(2025, 3, 1), decide=le(2025, 3, 11),
        montant_demande=Decimal("5000"),
    )  # fmt: skip
    d.demande(
        dispositif=dispositif, etablissement=e1, statut=A, depose=le(2025, 3, 15), decide=le(2025, 4, 14),
        montant_demande=Decimal("30000"), montant_accorde=Decimal("25000"),
    )  # fmt: skip
    d.demande(
        dispositif=dispositif, etablissement=e3, statut=Statut.EN_INSTRUCTION, depose=le(2025, 5, 2),
        montant_demande=Decimal("10000"),
    )  # fmt: skip
    d.demande(
        dispositif=dispositif, etablissement=e2, statut=A, depose=le(2024, 6, 1), decide=le(2024, 6, 11),
        montant_demande=Decimal("4000"), montant_accorde=Decimal("4000"),
    )  # fmt: skip
    c1 = d.convention(d1, signee=le(2025, 1, 22))
    d.versement(c1, montant=Decimal("3000"), paye=le(2025, 2, 1))
    d.versement(c1, montant=Decimal("2000"), paye=le(2025, 3, 1))
    c2 = d.convention(d2, signee=le(2025, 2, 25))
    d.versement(c2, montant=Decimal("20000"), paye=le(2025, 4, 26))
    DeclarationDeMinimis.objects.create(
        entreprise=e2.entreprise, organisme="Autre collectivité", date_octroi=le(2024, 3, 1).date(),
        montant=Decimal("230000"),
    )  # fmt: skip
    agregats_rafraichir()
    return Jeu(dispositif, e1, e2, e3)
