from django import forms
from django.utils import timezone

from aides.catalogue.referentiels import Thematique
from portal.models import Direction
from territoires.models import EPCI, Departement

LIGNES = [
    ("direction", "Direction"),
    ("departement", "Département"),
    ("epci", "EPCI"),
    ("thematique", "Thématique"),
    ("annee", "Année"),
]


def choix_annees() -> list[tuple[str, str]]:
    courante = timezone.localdate().year
    return [("", "Toutes")] + [(str(a), str(a)) for a in range(courante, courante - 8, -1)]


class TableauCroiseForm(forms.Form):
    lignes = forms.ChoiceField(label="Une ligne par", choices=LIGNES, required=False)
    annee = forms.TypedChoiceField(label="Année", choices=choix_annees, coerce=int, required=False, empty_value=None)
    direction = forms.ModelChoiceField(
        label="Direction", queryset=Direction.objects.order_by("code"), required=False, empty_label="Toutes"
    )
    departement = forms.ModelChoiceField(
        label="Département", queryset=Departement.objects.order_by("code"), required=False, empty_label="Tous"
    )
    epci = forms.ModelChoiceField(
        label="EPCI", queryset=EPCI.objects.defer("contour").order_by("nom"), required=False, empty_label="Tous"
    )
    thematique = forms.ChoiceField(label="Thématique", choices=[("", "Toutes"), *Thematique.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].initial = str(timezone.localdate().year)
        for champ in self.fields.values():
            champ.widget.attrs["class"] = "form-select"

    def criteres(self) -> dict:
        """The filters chosen; without any (first visit) the current year, « Toutes » being a choice."""
        if not self.is_bound:
            d = {"annee": timezone.localdate().year}
        else:
            d = self.cleaned_data if self.is_valid() else {}
        return {
            "lignes": d.get("lignes") or "direction",
            "annee": d.get("annee"),
            "direction_id": d["direction"].pk if d.get("direction") else None,
            "departement": d["departement"].pk if d.get("departement") else None,
            "epci_id": d["epci"].pk if d.get("epci") else None,
            "thematique": d.get("thematique") or None,
        }
