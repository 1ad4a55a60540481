"""Staff form of a dispositif: French labels, checkboxes for the vocabularies, one line per document."""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.referentiels import Nature, Operateur, Public, RegimeAide, Stade, Thematique
from aides.catalogue.services.dispositif import CHAMPS_SAISIS
from formulaires.models import Formulaire
from portal.models import Direction
from territoires.models import EPCI, ConventionTerritoriale, Departement

# Section (A–U), division (10), group (10.7), class (10.71) or sub-class (10.71C) of the NAF rév. 2.
FORMAT_NAF = re.compile(r"^(?:[A-U]|\d{2}|\d{2}\.\d|\d{2}\.\d{2}[A-Z]?)$")
SANS_POINT_NAF = re.compile(r"^(\d{2})(\d{1,2}[A-Z]?)$")


def normaliser_naf(code: str) -> str:
    """« 1071c » → « 10.71C »: staff type codes the way the INSEE prints them, or not."""
    code = code.strip().upper().replace(" ", "")
    morceaux = SANS_POINT_NAF.match(code)
    if morceaux:
        code = f"{morceaux[1]}.{morceaux[2]}"
    return code


class ChampNAF(forms.CharField):
    """Comma-separated NAF codes → a list, each checked for its format."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value) -> list[str]:
        texte = super().to_python(value)
        codes = []
        for brut in re.split(r"[,;\s]+", texte):
            if brut and (code := normaliser_naf(brut)) not in codes:
                codes.append(code)
        return codes

    def validate(self, value):
        super().validate(value)
        invalides = [code for code in value if not FORMAT_NAF.match(code)]
        if invalides:
            raise ValidationError(
                "Code NAF non reconnu : %(codes)s. Attendu : une section (C), une division (10) ou un code (10.71C).",
                params={"codes": ", ".join(invalides)},
            )


class ChampLignes(forms.CharField):
    """One item per line → a list (blank lines ignored)."""

    widget = forms.Textarea(attrs={"rows": 5})

    def __init__(self, *, longueur_max_ligne: int = 200, **kwargs):
        self.longueur_max_ligne = longueur_max_ligne
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value) -> list[str]:
        texte = super().to_python(value)
        return [ligne.strip() for ligne in texte.splitlines() if ligne.strip()]

    def validate(self, value):
        super().validate(value)
        trop_longues = [ligne for ligne in value if len(ligne) > self.longueur_max_ligne]
        if trop_longues:
            raise ValidationError(
                "Chaque pièce tient en %(max)d caractères au plus (trop longue : « %(ligne)s… »).",
                params={"max": self.longueur_max_ligne, "ligne": trop_longues[0][:40]},
            )


def cases(choix, label: str, aide: str = "", requis: bool = False) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choix.choices, widget=forms.CheckboxSelectMultiple, required=requis, help_text=aide
    )


class ChoixEPCI(forms.ModelMultipleChoiceField):
    def label_from_instance(self, epci: EPCI) -> str:
        codes = ", ".join(d.code for d in epci.departements.all())
        return f"{epci.nom} ({codes})"


class ChoixConvention(forms.ModelMultipleChoiceField):
    def label_from_instance(self, convention: ConventionTerritoriale) -> str:
        dates = f"{convention.date_debut:%d/%m/%Y} – {convention.date_fin:%d/%m/%Y}"
        return f"{convention.epci.nom} – {convention.get_type_display()} ({dates})"


class DispositifForm(forms.ModelForm):
    thematiques = cases(Thematique, "Thématiques", "Au moins une pour publier.")
    publics = cases(Public, "Publics", "Aucun coché : tous les publics.")
    stades = cases(Stade, "Stades de l'entreprise", "Aucun coché : tous les stades.")
    naf_inclus = ChampNAF(
        label="Secteurs NAF éligibles",
        help_text="Séparés par des virgules : section (C), division (10) ou code (10.71C). Vide : tous les secteurs.",
    )
    naf_exclus = ChampNAF(
        label="Secteurs NAF exclus",
        help_text="Séparés par des virgules, par exemple « A, 64, 68.20A ».",
    )
    departements = forms.ModelMultipleChoiceField(
        label="Départements couverts",
        queryset=Departement.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    epcis = ChoixEPCI(
        label="EPCI couverts",
        queryset=EPCI.objects.defer("contour").prefetch_related("departements"),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        required=False,
        help_text="Ctrl + clic (Cmd + clic sur Mac) pour en choisir plusieurs.",
    )
    conventions_territoriales = ChoixConvention(
        label="Conventions EPCI qui couvrent ce dispositif",
        queryset=ConventionTerritoriale.objects.select_related("epci")
        .only("type", "date_debut", "date_fin", "epci__nom")
        .order_by("epci__nom", "type", "date_debut"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        required=False,
        help_text=(
            "Le dispositif s'affichera sur la page « Vos contacts à la Région » de l'EPCI tant que la "
            "convention est en vigueur. Ctrl + clic (Cmd + clic sur Mac) pour en choisir plusieurs."
        ),
    )
    documents_requis = ChampLignes(
        label="Pièces à fournir",
        help_text="Une pièce par ligne.",
    )

    url_depot_externe = forms.URLField(
        label="Adresse du dépôt chez l'opérateur",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Obligatoire pour un dépôt sur le site de l'opérateur (https://…).",
    )

    class Meta:
        model = Dispositif
        fields = CHAMPS_SAISIS
        labels = {
            "nom": "Nom du dispositif",
            "resume": "Résumé",
            "description": "Description",
            "nature": "Nature de l'aide",
            "effectif_min": "Effectif minimum (salariés)",
            "effectif_max": "Effectif maximum (salariés)",
            "couvre_region": "Toute la région",
            "direction": "Direction pilote",
            "operateur": "Opérateur",
            "operateur_nom": "Nom de l'opérateur partenaire",
            "montant_min": "Montant minimum (€)",
            "montant_max": "Montant maximum (€)",
            "taux_max": "Taux maximum (%)",
            "regime": "Régime d'aide d'État",
            "regime_reference": "Référence du régime",
            "eligible_feder": "Éligible au FEDER",
            "date_ouverture": "Date d'ouverture",
            "date_cloture": "Date de clôture",
            "contact_nom": "Contact",
            "contact_email": "Courriel du contact",
            "contact_telephone": "Téléphone du contact",
            "modalite_depot": "Où l'entreprise dépose sa demande",
            "url_depot_externe": "Adresse du dépôt chez l'opérateur",
        }
        help_texts = {
            "nom": "Le nom que verront les entreprises ; il donne l'adresse de la page jusqu'à la publication.",
            "resume": "Une ou deux phrases, 400 caractères au plus.",
            "description": (
                "En Markdown : **gras**, *italique*, listes avec « - », liens [texte](https://…). "
                "Le HTML et les scripts sont retirés."
            ),
            "couvre_region": "Décochez pour limiter l'aide à des départements ou des EPCI.",
            "operateur_nom": "Par exemple CCI Hauts-de-France, BGE, Initiative Somme.",
            "regime_reference": "Par exemple « RGEC, article 17 » ou « SA.111726 ».",
            "date_ouverture": "JJ/MM/AAAA. Vide : ouvert dès la publication.",
            "date_cloture": "JJ/MM/AAAA. Vide : sans date limite. Après cette date l'aide s'affiche « Clôturé ».",
            "contact_telephone": "Par exemple 03 74 27 00 00.",
            "url_depot_externe": "Obligatoire pour un dépôt sur le site de l'opérateur (https://…).",
        }
        widgets = {
            "resume": forms.Textarea(attrs={"rows": 2, "maxlength": 400}),
            "description": forms.Textarea(attrs={"rows": 12}),
            "date_ouverture": forms.DateInput(format="%d/%m/%Y", attrs={"autocomplete": "off"}),
            "date_cloture": forms.DateInput(format="%d/%m/%Y", attrs={"autocomplete": "off"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_telephone": forms.TextInput(attrs={"autocomplete": "tel"}),
            "indicateurs": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].queryset = Direction.objects.order_by("code")
        # Pilotage settings: an empty field keeps the default (60 days), nobody must fill them in.
        self.fields["delai_instruction_cible_jours"].required = False
        self.fields["direction"].empty_label = "— Choisir —"
        self.fields["formulaire"].queryset = Formulaire.objects.exclude(code="defaut").order_by("nom")
        self.fields["formulaire"].empty_label = "Formulaire par défaut (questions communes)"
        self.fields["nature"].choices = [("", "— Choisir —"), *Nature.choices]
        self.fields["operateur"].choices = Operateur.choices
        self.fields["regime"].choices = RegimeAide.choices
        self.fields["modalite_depot"].required = False  # absent: on the portal, as before
        for nom in ("date_ouverture", "date_cloture"):
            self.fields[nom].input_formats = ["%d/%m/%Y", "%Y-%m-%d"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> holds the token
        self.helper.layout = Layout(
            Fieldset("Présentation", "nom", "resume", "description"),
            Fieldset(
                "À qui s'adresse l'aide",
                "thematiques",
                "nature",
                "publics",
                "stades",
                Div(
                    Div("effectif_min", css_class="col-md-6"),
                    Div("effectif_max", css_class="col-md-6"),
                    css_class="row",
                ),
                Div(Div("naf_inclus", css_class="col-md-6"), Div("naf_exclus", css_class="col-md-6"), css_class="row"),
            ),
            Fieldset("Territoire couvert", "couvre_region", "departements", "epcis", "conventions_territoriales"),
            Fieldset(
                "Pilotage et financement",
                Div(Div("direction", css_class="col-md-6"), Div("operateur", css_class="col-md-6"), css_class="row"),
                "operateur_nom",
                Div(
                    Div("montant_min", css_class="col-md-4"),
                    Div("montant_max", css_class="col-md-4"),
                    Div("taux_max", css_class="col-md-4"),
                    css_class="row",
                ),
                Div(
                    Div("regime", css_class="col-md-6"), Div("regime_reference", css_class="col-md-6"), css_class="row"
                ),
                "eligible_feder",
                "delai_instruction_cible_jours",
                "indicateurs",
            ),
            Fieldset("Lettres de décision", "lettre_accord_modele", "lettre_refus_modele"),
            Fieldset(
                "Calendrier et démarche",
                Div(
                    Div("date_ouverture", css_class="col-md-6"),
                    Div("date_cloture", css_class="col-md-6"),
                    css_class="row",
                ),
                "documents_requis",
                "formulaire",
                Div(
                    Div("modalite_depot", css_class="col-md-6"),
                    Div("url_depot_externe", css_class="col-md-6"),
                    css_class="row",
                ),
                "contact_nom",
                Div(
                    Div("contact_email", css_class="col-md-6"),
                    Div("contact_telephone", css_class="col-md-6"),
                    css_class="row",
                ),
            ),
        )

    def clean_delai_instruction_cible_jours(self):
        valeur = self.cleaned_data.get("delai_instruction_cible_jours")
        if valeur is None:
            return (
                self.instance.delai_instruction_cible_jours
                or Dispositif._meta.get_field("delai_instruction_cible_jours").default
            )
        return valeur

    def clean(self):
        # Bounds, dates and the operator's address are the model's constraints: the model validation
        # (`_post_clean`) puts their French messages next to the fields. Coverage needs the M2M: here.
        donnees = super().clean()
        donnees["modalite_depot"] = donnees.get("modalite_depot") or Dispositif.ModaliteDepot.PORTAIL
        if (
            "couvre_region" in donnees
            and not donnees.get("couvre_region")
            and not donnees.get("departements")
            and not donnees.get("epcis")
        ):
            self.add_error(
                "couvre_region",
                "Cochez « Toute la région » ou choisissez au moins un département ou un EPCI.",
            )
        if donnees.get("couvre_region") and (donnees.get("departements") or donnees.get("epcis")):
            self.add_error(
                "couvre_region",
                "Vous avez choisi des départements ou des EPCI : décochez « Toute la région » pour limiter "
                "l'aide à ces territoires, ou retirez-les.",
            )
        return donnees
