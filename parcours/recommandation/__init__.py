"""Which aids fit a company, and why: a pure function of the profile and the published catalogue.

Nothing here touches the database: `selectors.py` loads the catalogue into `DispositifVue` objects
(one query) and the commune into a `Territoire`; `recommander` then applies the rules of each
dispositif's own fields, in a fixed order, and explains every rule that matched in French."""

from parcours.recommandation.assemblage import (  # noqa: F401
    Assemblage,
    EtapeProposee,
    EtapeVue,
    ParcoursPropose,
    ParcoursVue,
    assembler,
    parcours_pertinence,
)
from parcours.recommandation.evaluation import (  # noqa: F401
    NATURES_MATURITE,
    ORDRE_PUBLICS,
    ORDRE_STADES,
    PUBLICS_TAILLE,
    RAISON_PUBLIC,
    DispositifVue,
    Motif,
    Recommandation,
    Resultat,
    Territoire,
    _date,
    _Ecartee,
    _regle_effectif,
    _salaries,
    _verifier_dates,
    _verifier_effectif,
    _verifier_maturite,
    _verifier_projets,
    _verifier_public,
    _verifier_secteur,
    _verifier_stade,
    _verifier_territoire,
    _vous_en_avez,
    evaluer,
    recommander,
)
