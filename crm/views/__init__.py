"""Staff pages of the CRM (/agents/crm/) and the public « Être contacté » form (/contact/)."""

from crm.views.entreprises import (  # noqa: F401
    EXPORT_MAX,
    GENRES_EVENEMENTS,
    HISTORIQUE_PAR_PAGE,
    PAR_PAGE,
    _page_entreprise,
    _recherche,
    contact_export,
    contact_nouveau,
    entreprise,
    entreprise_nouvelle,
    etablissement_nouveau,
    export_csv,
    personne_export,
    recherche,
    referent_changer,
)
from crm.views.interactions import (  # noqa: F401
    _interaction_form,
    interaction,
    interaction_modifier,
    interaction_nouvelle,
    mes_interactions,
    tache_nouvelle,
    tache_terminer,
)
from crm.views.sollicitations import (  # noqa: F401
    _reorienter,
    _sollicitation_depuis_formulaire,
    etre_contacte,
    etre_contacte_merci,
    sollicitation,
    sollicitation_nouvelle,
    sollicitations,
)
