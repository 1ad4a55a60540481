"""The Django field of each question type."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from stdnum import exceptions as stdnum_erreurs
from stdnum.fr import siret as stdnum_siret

from crm.referentiels import valider_sans_balise
from portal.champs import DateField, MontantField
from territoires.selectors import commune_depuis_saisie

from .models import TypeChamp

OUI_NON = [("oui", "Oui"), ("non", "Non")]
CHOIX_EN_LISTE = 6  # more choices than this: a drop-down list rather than radio buttons


class NombreField(forms.DecimalField):
    """A number written the French way (« 12,5 » or « 1 200 »)."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=14, decimal_places=2, **kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        self.error_messages["invalid"] = "Saisissez un nombre, par exemple 12,5."

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
        try:
            return super().to_python(value)
        except (InvalidOperation, ValidationError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class SiretField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=20, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean(self, value):
        valeur = super().clean(value)
        if not valeur:
            return valeur
        try:
            return stdnum_siret.validate(valeur)
        except stdnum_erreurs.ValidationError:
            raise ValidationError(
                "Ce SIRET n'est pas valide : 14 chiffres, par exemple 732 829 320 00074.", code="invalid"
            ) from None


class CommuneField(forms.CharField):
    """Typed as a name, a postal code or an INSEE code (autocompleted); the answer is the INSEE code."""

    def __init__(self, **kwargs):
        super().__init__(max_length=200, **kwargs)
        self.widget.attrs.update({"data-autocompletion-commune": "", "autocomplete": "off"})

    def clean(self, value):
        valeur = super().clean(value)
        if not valeur:
            return valeur
        commune = commune_depuis_saisie(valeur)
        if commune is None:
            raise ValidationError(
                "Commune introuvable dans les Hauts-de-France : choisissez-la dans la liste ou saisissez son code "
                "INSEE.",
                code="invalid",
            )
        return commune.code_insee


def _borne(valeur) -> Decimal | None:
    return None if valeur in (None, "") else Decimal(str(valeur))


def champ_django(champ: dict, *, requis: bool, fabrique_fichier=None) -> forms.Field:
    """The form field of one question of a schema (a block is a formset, see moteur)."""
    commun = {"label": champ["libelle"], "help_text": champ.get("aide", ""), "required": requis}
    genre = champ["type"]
    if genre == TypeChamp.TEXTE:
        return forms.CharField(max_length=500, validators=[valider_sans_balise], **commun)
    if genre == TypeChamp.TEXTE_LONG:
        return forms.CharField(max_length=10_000, widget=forms.Textarea(attrs={"rows": 5}), **commun)
    if genre == TypeChamp.NOMBRE:
        return NombreField(min_value=_borne(champ.get("min")), max_value=_borne(champ.get("max")), **commun)
    if genre == TypeChamp.MONTANT:
        return MontantField(
            min_value=_borne(champ.get("min")) or Decimal(0), max_value=_borne(champ.get("max")), **commun
        )
    if genre == TypeChamp.DATE:
        return DateField(**commun)
    if genre == TypeChamp.OUI_NON:
        return forms.ChoiceField(choices=OUI_NON, widget=forms.RadioSelect, **commun)
    if genre == TypeChamp.CHOIX:
        choix = [(o, o) for o in champ["options"]]
        if len(choix) > CHOIX_EN_LISTE:
            return forms.ChoiceField(choices=[("", "(choisir)"), *choix], **commun)
        return forms.ChoiceField(choices=choix, widget=forms.RadioSelect, **commun)
    if genre == TypeChamp.CHOIX_MULTIPLE:
        return forms.MultipleChoiceField(
            choices=[(o, o) for o in champ["options"]], widget=forms.CheckboxSelectMultiple, **commun
        )
    if genre == TypeChamp.SIRET:
        return SiretField(**commun)
    if genre == TypeChamp.COMMUNE:
        return CommuneField(**commun)
    if genre == TypeChamp.FICHIER:
        return fabrique_fichier(**commun) if fabrique_fichier else forms.FileField(**commun)
    raise ValueError(f"Type de question inconnu : {genre}")


def classes_bootstrap(form: forms.BaseForm) -> None:
    for champ in form.fields.values():
        widget = champ.widget
        if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, (forms.CheckboxInput, forms.HiddenInput)):
            widget.attrs.setdefault("class", "form-control")
