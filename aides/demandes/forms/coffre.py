"""Depositing a document in the company's safe."""

from django import forms

from aides.demandes.forms.demande.champs import DateField, FichierField, classes_bootstrap
from formulaires.models import DocumentCoffre


class CoffreForm(forms.Form):
    type = forms.ChoiceField(
        label="Document", choices=[("", "(choisir)")] + [c for c in DocumentCoffre.choices if c[0]]
    )
    fichier = FichierField(label="Fichier", required=True)
    valable_jusqu_au = DateField(
        label="Valable jusqu'au (facultatif)",
        required=False,
        help_text="Sans date : trois mois pour un Kbis, six mois pour une attestation URSSAF, un an pour une "
        "attestation fiscale ; un RIB ou des statuts restent valables jusqu'à leur remplacement.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].error_messages["required"] = "Choisissez le type de document."
        self.fields["fichier"].error_messages["required"] = "Choisissez le fichier à déposer."
        classes_bootstrap(self)
