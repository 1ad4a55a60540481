"""Forms of the company space and of the instruction. Every field is optional while the draft is
being written: completeness is checked at deposit, so nothing typed is refused for being partial."""

from aides.demandes.forms.demande.champs import (  # noqa: F401
    FORMATS_DATE,
    DateField,
    FichierField,
    MontantField,
    MontantInput,
    classes_bootstrap,
)
from aides.demandes.forms.demande.depot import (  # noqa: F401
    DeclarationForm,
    DeclarationsFormSet,
    DemandeForm,
    LignesBaseFormSet,
    PiecesForm,
    ReponseForm,
    declarations_initiales,
)
from aides.demandes.forms.demande.inscription import InscriptionForm, JetonCreationForm  # noqa: F401
from aides.demandes.forms.demande.instruction import (  # noqa: F401
    AnnotationForm,
    AssignerForm,
    ComplementForm,
    DecisionForm,
    VersionForm,
)
