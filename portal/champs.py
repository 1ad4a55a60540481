"""Form fields shared by every app: French amounts and dates (« 12 500,50 », « 27/11/2026 »)."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

FORMATS_DATE = ["%Y-%m-%d", "%d/%m/%Y"]


class MontantInput(forms.TextInput):
    """Shows a stored amount the French way (« 15 000,00 »), which MontantField reads back."""

    def format_value(self, value):
        if isinstance(value, (Decimal, int, float)):
            entier, _, decimales = f"{Decimal(value):.2f}".partition(".")
            groupes = []
            while entier:
                groupes.insert(0, entier[-3:])
                entier = entier[:-3]
            return " ".join(groupes) + "," + decimales
        return super().format_value(value)


class MontantField(forms.DecimalField):
    """Accepts « 12 500,50 », « 12500.50 » or « 12 500 € »."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("localize", False)
        super().__init__(**kwargs)
        self.widget = MontantInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        self.error_messages.update(
            {
                "invalid": "Saisissez un montant en euros, par exemple 12 500,50.",
                "min_value": "Le montant ne peut pas être négatif.",
                "max_decimal_places": "Un montant a au plus deux chiffres après la virgule.",
            }
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("€", "")
            value = value.replace(",", ".")
        try:
            return super().to_python(value)
        except (InvalidOperation, ValidationError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class DateField(forms.DateField):
    def __init__(self, **kwargs):
        super().__init__(input_formats=FORMATS_DATE, **kwargs)
        self.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.error_messages["invalid"] = "Saisissez une date valide, par exemple 27/11/2026."
