from django import forms
from django.urls import reverse_lazy

from portal.models import Direction, User

from .models import EPCI, Commune, ConventionTerritoriale, Departement, TypeConvention
from .selectors import RECHERCHE_LONGUEUR_MAX, commune_depuis_saisie, communes_rechercher
from .selectors_conventions import Categorie


class CommuneField(forms.CharField):
    """A commune typed as an INSEE code, "Amiens (80021)" or an unambiguous name.

    Works with the autocompletion (which submits the INSEE code) and without JavaScript (which
    submits what was typed). Cleans to a `Commune`; `suggestions` holds close matches after an error.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", RECHERCHE_LONGUEUR_MAX)
        kwargs.setdefault(
            "error_messages",
            {
                "required": "Saisissez le nom, le code postal ou le code INSEE d'une commune.",
                "max_length": "Saisissez au plus %(limit_value)d caractères (vous en avez saisi %(show_value)d).",
            },
        )
        super().__init__(**kwargs)
        self.suggestions = []

    def resoudre(self, texte: str) -> Commune | None:
        """The commune the input designates (a subclass may remember it: the catalogue search)."""
        return commune_depuis_saisie(texte)

    def clean(self, value):
        texte = super().clean(value)
        if not texte:
            return None
        commune = self.resoudre(texte)
        if commune is None:
            self.suggestions = communes_rechercher(texte, limite=5)
            # Homonyms (same name, or same postal code) rank first with an exact-match rank of 0 or 1.
            exactes = [
                c for c in self.suggestions if getattr(c, "rang_nom", 0) == 0 and getattr(c, "rang_code", 0) <= 1
            ]
            if len(exactes) > 1:
                raise forms.ValidationError(
                    "Plusieurs communes correspondent à « %(saisie)s » : choisissez-en une dans la liste "
                    "proposée ou précisez son code INSEE.",
                    code="ambigue",
                    params={"saisie": texte},
                )
            raise forms.ValidationError(
                "Aucune commune des Hauts-de-France ne correspond à « %(saisie)s ». Saisissez son nom, son "
                "code postal ou son code INSEE, par exemple « Amiens » ou « 80021 ».",
                code="inconnue",
                params={"saisie": texte},
            )
        return commune


class CommuneTrouverForm(forms.Form):
    commune = CommuneField(
        label="Commune",
        help_text="Nom, code postal ou code INSEE, par exemple « Amiens » ou « 80021 ».",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "data-autocompletion-commune": "",
                "data-url": reverse_lazy("territoires:communes-recherche"),
            }
        ),
    )


# --- Conventions, assignments, deadlines ------------------------------------------------------------

CHAMP_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FORMATS_DATE = ["%Y-%m-%d", "%d/%m/%Y"]
MESSAGES_DATE = {"invalid": "Saisissez une date valide, par exemple 01/01/2027.", "required": "Saisissez une date."}


class EPCIChoixField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", EPCI.objects.defer("contour").order_by("nom"))
        kwargs.setdefault("to_field_name", "siren")
        kwargs.setdefault(
            "error_messages",
            {"required": "Choisissez un EPCI.", "invalid_choice": "Choisissez un EPCI de la liste."},
        )
        super().__init__(**kwargs)

    def label_from_instance(self, epci):
        return f"{epci.nom} ({epci.siren})"


class ConventionForm(forms.ModelForm):
    epci = EPCIChoixField(label="EPCI")

    class Meta:
        model = ConventionTerritoriale
        fields = [
            "epci",
            "type",
            "intitule",
            "date_debut",
            "date_fin",
            "signataire_region",
            "signataire_epci",
            "notes",
        ]
        widgets = {
            "date_debut": CHAMP_DATE,
            "date_fin": CHAMP_DATE,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "intitule": "Facultatif, par exemple « Convention cadre 2027-2029 ».",
            "notes": "Visibles des seuls agents de la Région.",
            "signataire_region": "Nom et qualité, par exemple « Le Président du Conseil régional ».",
        }
        error_messages = {
            "type": {
                "required": "Choisissez le type de convention.",
                "invalid_choice": "Choisissez un type de la liste.",
            },
            "date_debut": MESSAGES_DATE,
            "date_fin": MESSAGES_DATE,
        }

    def __init__(self, *args, modification: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for nom in ("date_debut", "date_fin"):
            self.fields[nom].input_formats = FORMATS_DATE
        if modification:
            # The EPCI of a convention does not change: create a new one instead.
            del self.fields["epci"]

    # Dates in order and no overlap of signed conventions are the model's constraints, with their
    # French messages: the model validation of the form shows them, the service checks them again.

    def _get_validation_exclusions(self):
        # The overlap constraint's condition reads `statut`, which has its own form (the steps):
        # validate with the convention's current one rather than leave the condition unresolvable.
        exclusions = super()._get_validation_exclusions()
        exclusions.discard("statut")
        return exclusions


MESSAGES_MONTANT = {
    "invalid": "Saisissez un montant en euros, par exemple 25000 ou 25000,50.",
    "required": "Saisissez un montant (0 si rien n'est engagé).",
    "max_digits": "Ce montant est trop élevé.",
    "max_decimal_places": "Indiquez au plus deux décimales (les centimes).",
}


class MontantField(forms.DecimalField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("localize", True)
        kwargs.setdefault("error_messages", MESSAGES_MONTANT)
        super().__init__(**kwargs)
        self.widget.attrs["inputmode"] = "decimal"

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("€", "")
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        if value is not None and value < 0:
            raise forms.ValidationError("Un montant ne peut pas être négatif.", code="negatif")


class EngagementForm(forms.Form):
    annee = forms.TypedChoiceField(
        label="Année",
        coerce=int,
        error_messages={
            "required": "Choisissez une année.",
            "invalid_choice": "Choisissez une année de la convention.",
        },
    )
    montant_region = MontantField(label="Engagé par la Région (€)")
    montant_epci = MontantField(label="Engagé par l'EPCI (€)")

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        annees = range(convention.date_debut.year, convention.date_fin.year + 1)
        self.fields["annee"].choices = [(a, str(a)) for a in annees]


class StatutForm(forms.Form):
    statut = forms.ChoiceField(
        label="Nouvelle étape",
        choices=ConventionTerritoriale.Statut.choices,
        error_messages={"required": "Choisissez une étape.", "invalid_choice": "Choisissez une étape de la liste."},
    )
    le = forms.DateField(
        label="Date",
        required=False,
        widget=CHAMP_DATE,
        input_formats=FORMATS_DATE,
        error_messages=MESSAGES_DATE,
        help_text="Date de la signature ou de la résiliation ; aujourd'hui si vide.",
    )
    motif = forms.CharField(
        label="Motif (obligatoire pour une résiliation)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PieceForm(forms.Form):
    fichier = forms.FileField(
        label="Document PDF",
        error_messages={"required": "Choisissez un fichier PDF.", "empty": "Le fichier est vide."},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    description = forms.CharField(label="Description", max_length=200, required=False)


class AgentChoixField(forms.ModelChoiceField):
    def label_from_instance(self, agent):
        direction = f" – {agent.direction.code}" if agent.direction_id else ""
        return f"{agent.get_full_name() or agent.email}{direction}"


class AffectationForm(forms.Form):
    agent = AgentChoixField(
        label="Agent",
        queryset=User.objects.filter(is_staff=True, is_active=True)
        .select_related("direction")
        .order_by("last_name", "first_name"),
        error_messages={"required": "Choisissez un agent.", "invalid_choice": "Choisissez un agent de la liste."},
    )
    epci = EPCIChoixField(label="EPCI")
    direction = forms.ModelChoiceField(
        label="Direction",
        queryset=Direction.objects.order_by("code"),
        to_field_name="code",
        error_messages={
            "required": "Choisissez une direction.",
            "invalid_choice": "Choisissez une direction de la liste.",
        },
    )
    mission = forms.CharField(label="Mission sur ce territoire", max_length=200, required=False)


class EcheanceForm(forms.Form):
    type = forms.ChoiceField(
        label="Type de convention requis",
        choices=TypeConvention.choices,
        error_messages={"required": "Choisissez un type.", "invalid_choice": "Choisissez un type de la liste."},
    )
    date = forms.DateField(
        label="Date butoir", widget=CHAMP_DATE, input_formats=FORMATS_DATE, error_messages=MESSAGES_DATE
    )
    libelle = forms.CharField(label="Libellé", max_length=200, required=False)


class CouvertureFiltreForm(forms.Form):
    departement = forms.ModelChoiceField(
        label="Département",
        queryset=Departement.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label="Tous les départements",
        error_messages={"invalid_choice": "Choisissez un des cinq départements de la région."},
    )
    type = forms.ChoiceField(
        label="Type de convention",
        choices=[("", "Tous les types"), *TypeConvention.choices],
        required=False,
        error_messages={"invalid_choice": "Choisissez un type de la liste."},
    )
    etat = forms.ChoiceField(
        label="État",
        choices=[("", "Tous les états"), *Categorie.CHOIX],
        required=False,
        error_messages={"invalid_choice": "Choisissez un état de la liste."},
    )
