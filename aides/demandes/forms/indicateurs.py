"""The « impact expected » section of the application form: one field per indicator the dispositif
tracks. Optional while the draft is saved, all required to deposit (checked by the service)."""

from decimal import Decimal

from django import forms

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.models.indicateur import TypeIndicateur
from aides.demandes.models.demande import Demande


class IndicateursPrevusForm(forms.Form):
    prefix = "impact"

    def __init__(self, *args, dispositif: Dispositif, demande: Demande | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.types: dict[str, TypeIndicateur] = {}
        existantes = {}
        if demande is not None and demande.pk:
            existantes = {v.type_id: v.valeur_prevue for v in demande.indicateurs.all()}
        for type_ in dispositif.indicateurs.all():
            nom = f"indicateur_{type_.code}"
            self.types[nom] = type_
            self.fields[nom] = forms.DecimalField(
                label=f"{type_.libelle} ({type_.unite})",
                min_value=Decimal("0"),
                max_digits=14,
                decimal_places=2,
                required=False,
                initial=existantes.get(type_.pk),
                localize=True,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control", "autocomplete": "off"}),
                error_messages={"invalid": "Saisissez un nombre, par exemple 3 ou 12 500."},
            )

    def valeurs(self) -> dict[int, Decimal | None]:
        """{indicator type id: value or None}, from a valid form."""
        return {type_.pk: self.cleaned_data.get(nom) for nom, type_ in self.types.items()}
