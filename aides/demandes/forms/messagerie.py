"""Forms of the messaging of an application and of expert opinions (prefixed: several forms share
the instruction page, their ids stay unique)."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from aides.demandes.forms.demande.champs import DateField, FichierField, classes_bootstrap
from aides.demandes.services.avis import experts_possibles
from aides.demandes.services.messagerie import NOMBRE_FICHIERS


class EchangeForm(forms.Form):
    prefix = "message"

    texte = forms.CharField(label="Votre message", widget=forms.Textarea(attrs={"rows": 4}))
    fichier_1 = FichierField(label="Fichier joint 1")
    fichier_2 = FichierField(label="Fichier joint 2")
    fichier_3 = FichierField(label="Fichier joint 3")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["texte"].error_messages["required"] = "Écrivez votre message."
        classes_bootstrap(self)

    def fichiers(self) -> list:
        return [
            self.cleaned_data[f"fichier_{n}"]
            for n in range(1, NOMBRE_FICHIERS + 1)
            if self.cleaned_data.get(f"fichier_{n}")
        ]


class AvisDemanderForm(forms.Form):
    prefix = "avis"

    expert = forms.ModelChoiceField(
        label="Expert sollicité",
        help_text="Un agent d'une autre direction, un EPCI ou une structure partenaire.",
        queryset=None,
        empty_label="Choisissez…",
    )
    question = forms.CharField(label="Question posée", widget=forms.Textarea(attrs={"rows": 3}))
    rendre_avant = DateField(label="À rendre avant le")

    def __init__(self, *args, demandeur, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts_possibles(pour=demandeur)
        self.fields["expert"].label_from_instance = _libelle_expert
        self.fields["expert"].error_messages["required"] = "Choisissez l'expert à solliciter."
        self.fields["question"].error_messages["required"] = "Écrivez la question posée à l'expert."
        self.fields["rendre_avant"].error_messages["required"] = "Indiquez la date limite de l'avis."
        self.initial.setdefault("rendre_avant", timezone.localdate() + timedelta(days=15))
        classes_bootstrap(self)


def _libelle_expert(user) -> str:
    nom = user.get_full_name() or user.email
    if user.is_staff:
        return f"{nom} ({user.direction.code if user.direction_id else 'Région'})"
    return f"{nom} (partenaire ou EPCI)"


class AvisRendreForm(forms.Form):
    prefix = "avis"

    avis = forms.CharField(label="Votre avis", widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["avis"].error_messages["required"] = "Écrivez votre avis."
        classes_bootstrap(self)
