from territoires.models.conventions import (  # noqa: F401
    AlerteConvention,
    ConventionQuerySet,
    ConventionTerritoriale,
    EcheanceConventionnement,
    EcheanceConventionnementQuerySet,
    EngagementAnnuel,
    EtatConvention,
    PieceConvention,
    TypeConvention,
    _chemin_piece,
)
from territoires.models.referentiel import (  # noqa: F401
    EPCI,
    Affectation,
    AffectationQuerySet,
    Commune,
    CommuneQuerySet,
    DateRange,
    Departement,
)
from territoires.models.revues import (  # noqa: F401
    SEMAINES_PROCHAINE_REVUE,
    SEMAINES_PROCHAINE_REVUE_MAX,
    SEMAINES_PROCHAINE_REVUE_MIN,
    RevueDeProjets,
    RevueDeProjetsQuerySet,
)
