"""Forms of the SAF back office and of the company's signature."""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from aides.catalogue.models.dispositif import Dispositif
from aides.conventions.models.convention import Etape
from aides.conventions.models.versement import Versement
from portal.forms import champ_code_totp
from portal.models import Direction
from portal.verification import fichier_verifier
from territoires.models import EPCI


class ConventionCreerForm(forms.Form):
    objet = forms.CharField(
        label="Objet de la convention",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Vide : l'intitulé du projet de la demande.",
    )
    part_feder = forms.DecimalField(label="Part FEDER (€)", min_value=Decimal("0"), decimal_places=2, required=False)
    part_epci = forms.DecimalField(label="Part EPCI (€)", min_value=Decimal("0"), decimal_places=2, required=False)
    epci = forms.ModelChoiceField(label="EPCI cofinanceur", queryset=EPCI.objects.order_by("nom"), required=False)
    duree_mois = forms.IntegerField(label="Durée de validité (mois)", min_value=1, max_value=120, initial=36)


class VersementForm(forms.Form):
    type = forms.ChoiceField(label="Type de versement", choices=Versement.Type.choices)
    montant = forms.DecimalField(label="Montant (€)", min_value=Decimal("0.01"), decimal_places=2)
    commentaire = forms.CharField(label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    justificatif = forms.FileField(label="Justificatif (PDF, image, tableur)", required=False)

    def clean_justificatif(self):
        fichier = self.cleaned_data.get("justificatif")
        return fichier_verifier(fichier) if fichier else None


class ClotureForm(forms.Form):
    vers = forms.ChoiceField(
        label="Clôture",
        choices=[(Etape.CADUQUE.value, "Caduque"), (Etape.RESILIEE.value, "Résiliée")],
        widget=forms.RadioSelect,
    )
    motif = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 2}))


class SignatureForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    mot_de_passe = forms.CharField(
        label="Votre mot de passe", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    je_signe = forms.BooleanField(
        label="J'ai lu la convention et je la signe au nom de l'entreprise (« Je signe »)",
        required=True,
        error_messages={"required": "Cochez la case pour confirmer votre signature."},
    )


class ScanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    scan = forms.FileField(label="Exemplaire signé (PDF)")

    def clean_scan(self):
        verifie = fichier_verifier(self.cleaned_data["scan"])
        if verifie.type_mime != "application/pdf":
            raise ValidationError("L'exemplaire signé doit être un fichier PDF.")
        return verifie


class SignatureRegionForm(forms.Form):
    """The Région's signature re-asks the signatory's password and a code of their second factor."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    mot_de_passe = forms.CharField(
        label="Votre mot de passe",
        error_messages={"required": "Saisissez votre mot de passe pour signer."},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": "form-control"}),
    )

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["code"] = champ_code_totp("Code de votre application d'authentification")
        self.fields["code"].widget.attrs.pop("autofocus")


class TableauFiltresForm(forms.Form):
    etape = forms.ChoiceField(label="Étape", choices=[("", "Toutes")] + list(Etape.choices), required=False)
    dispositif = forms.ModelChoiceField(
        label="Dispositif",
        queryset=Dispositif.objects.order_by("nom").only("pk", "nom"),
        required=False,
        empty_label="Tous",
    )
    direction = forms.ModelChoiceField(
        label="Direction", queryset=Direction.objects.order_by("code"), required=False, empty_label="Toutes"
    )
    bloquees = forms.BooleanField(label="Bloquées seulement", required=False)
    miennes = forms.BooleanField(label="En cours, dont je suis gestionnaire", required=False)
    versements = forms.BooleanField(label="Avec un versement à contrôler", required=False)
    debut = forms.DateField(label="Délais du", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    fin = forms.DateField(label="au", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for champ in self.fields.values():
            if isinstance(champ.widget, forms.CheckboxInput):
                champ.widget.attrs["class"] = "form-check-input"
            elif isinstance(champ.widget, forms.Select):
                champ.widget.attrs["class"] = "form-select"
            else:
                champ.widget.attrs["class"] = "form-control"

    def periode(self):
        donnees = self.cleaned_data if self.is_valid() else {}
        fin = donnees.get("fin") or timezone.localdate()
        debut = donnees.get("debut") or fin - timedelta(days=365)
        return debut, fin

    def clean(self):
        donnees = super().clean()
        if donnees.get("debut") and donnees.get("fin") and donnees["debut"] > donnees["fin"]:
            self.add_error("fin", "La fin de la période doit suivre son début.")
        return donnees
