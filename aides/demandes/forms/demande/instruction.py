from django import forms

from aides.demandes.forms.demande.champs import DateField, MontantField, classes_bootstrap
from aides.demandes.models.demande import Statut
from portal.models import User
from portal.roles import Role


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        classes_bootstrap(self)


class AssignerForm(VersionForm):
    instructeur = forms.ModelChoiceField(
        label="Instructeur", queryset=User.objects.none(), required=False, empty_label="(personne)"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instructeur"].queryset = (
            User.objects.agents().filter(groups__name=Role.INSTRUCTEUR.value).distinct().order_by("last_name", "email")
        )


class ComplementForm(VersionForm):
    texte = forms.CharField(
        label="Pièces ou informations demandées à l'entreprise", widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["texte"].error_messages["required"] = "Écrivez ce que l'entreprise doit fournir."


class DecisionForm(VersionForm):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[(Statut.ACCORDEE, "Accorder"), (Statut.REFUSEE, "Refuser"), (Statut.SANS_SUITE, "Classer sans suite")],
        widget=forms.RadioSelect,
    )
    motif = forms.CharField(label="Motif (communiqué à l'entreprise)", widget=forms.Textarea(attrs={"rows": 3}))
    montant_accorde = MontantField(label="Montant accordé (€)", required=False)
    date_commission = DateField(label="Date de la commission permanente", required=False)
    numero_deliberation = forms.CharField(label="Numéro de délibération", max_length=50, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].error_messages["required"] = "Choisissez une décision."
        self.fields["motif"].error_messages["required"] = (
            "Motivez la décision : le motif est communiqué à l'entreprise."
        )


class AnnotationForm(forms.Form):
    texte = forms.CharField(
        label="Annotation privée (jamais montrée à l'entreprise)", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        classes_bootstrap(self)
