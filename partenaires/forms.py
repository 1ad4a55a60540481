from django import forms
from django.contrib.auth.password_validation import validate_password

from crm.forms import SollicitationPubliqueForm, champ_commune
from crm.models import Structure
from crm.referentiels import Besoin, valider_sans_balise
from portal.forms import champ_code_totp
from territoires.models import EPCI

from .models import Orientation


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Adresse électronique de la personne invitée")
    structure = forms.ModelChoiceField(
        label="Structure partenaire", queryset=Structure.objects.filter(active=True), required=False
    )
    epci = forms.ModelChoiceField(label="Ou EPCI", queryset=EPCI.objects.only("pk", "nom"), required=False)

    def clean(self):
        donnees = super().clean()
        if bool(donnees.get("structure")) == bool(donnees.get("epci")):
            raise forms.ValidationError("Choisissez soit une structure partenaire, soit un EPCI.")
        return donnees


class AcceptationForm(forms.Form):
    prenom = forms.CharField(label="Prénom", max_length=150, validators=[valider_sans_balise])
    nom = forms.CharField(label="Nom", max_length=150, validators=[valider_sans_balise])
    fonction = forms.CharField(label="Fonction", max_length=200, required=False, validators=[valider_sans_balise])
    mot_de_passe = forms.CharField(
        label="Mot de passe", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), strip=False
    )
    confirmation = forms.CharField(
        label="Confirmez le mot de passe",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def clean(self):
        donnees = super().clean()
        if donnees.get("mot_de_passe") and donnees.get("mot_de_passe") != donnees.get("confirmation"):
            self.add_error("confirmation", "Les deux mots de passe diffèrent.")
        elif donnees.get("mot_de_passe"):
            try:
                validate_password(donnees["mot_de_passe"])
            except forms.ValidationError as erreur:
                self.add_error("mot_de_passe", erreur)
        return donnees


class ReponseOrientationForm(forms.Form):
    statut = forms.ChoiceField(
        label="Votre réponse",
        choices=[(Orientation.Statut.TRAITEE, "Traitée"), (Orientation.Statut.PAS_POUR_NOUS, "Pas pour nous")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Note pour la Région", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
        help_text="Ce que vous avez fait ou pourquoi la demande ne relève pas de votre structure.",
    )  # fmt: skip


class PrescriptionForm(forms.Form):
    siret = forms.CharField(label="SIRET de l'entreprise accompagnée", max_length=20)
    nom = forms.CharField(
        label="Nom et prénom du contact dans l'entreprise", max_length=200, validators=[valider_sans_balise]
    )
    email = forms.EmailField(label="Son adresse électronique")
    telephone = forms.CharField(label="Son téléphone", max_length=30, required=False)
    commune = champ_commune(label="Commune de l'entreprise")
    besoin = forms.ChoiceField(label="Besoin", choices=Besoin.choices)
    message = forms.CharField(
        label="Précisez le besoin", widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=4000
    )
    accord = forms.BooleanField(
        label="L'entreprise a accepté que la Région la recontacte au sujet de cette demande",
        error_messages={"required": "L'accord de l'entreprise est nécessaire."},
    )


class SollicitationIntegreeForm(SollicitationPubliqueForm):
    """The « Être contacté » form as embedded on a partner's site."""


class TrouverContactForm(forms.Form):
    commune = champ_commune(label="Votre commune (nom ou code postal)")


class SignatureEpciForm(forms.Form):
    """The EPCI's signature re-asks the signatory's password and a code of their second factor."""

    mot_de_passe = forms.CharField(
        label="Votre mot de passe",
        error_messages={"required": "Saisissez votre mot de passe pour signer."},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": "form-control"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"] = champ_code_totp("Code de votre application d'authentification")
        self.fields["code"].widget.attrs.pop("autofocus")
