from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from aides.demandes.forms.demande.champs import FichierField
from aides.demandes.services.demande import siret_verifier
from crm.referentiels import valider_sans_balise
from portal.forms import FormulaireAccessible
from portal.models import User


class InscriptionForm(FormulaireAccessible, forms.Form):
    prenom = forms.CharField(
        label="Prénom",
        max_length=150,
        validators=[valider_sans_balise],
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    nom = forms.CharField(
        label="Nom",
        max_length=150,
        validators=[valider_sans_balise],
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label="Adresse électronique",
        help_text="Un lien de confirmation vous sera envoyé à cette adresse.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    siret = forms.CharField(
        label="SIRET de votre établissement",
        max_length=20,
        help_text="14 chiffres, par exemple 732 829 320 00074 (sur un extrait Kbis ou l'avis de situation INSEE).",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    raison_sociale = forms.CharField(
        label="Raison sociale",
        max_length=250,
        required=False,
        validators=[valider_sans_balise],
        help_text="Utile si votre entreprise n'est pas encore connue de la Région.",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    adresse = forms.CharField(
        label="Adresse de l'établissement",
        max_length=300,
        required=False,
        validators=[valider_sans_balise],
        help_text="Obligatoire si votre établissement n'est pas encore connu de la Région.",
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    code_postal = forms.CharField(
        label="Code postal",
        max_length=5,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    commune = forms.CharField(
        label="Commune",
        max_length=200,
        required=False,
        help_text="Obligatoire si votre établissement n'est pas encore connu de la Région.",
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    justificatif = FichierField(
        label="Justificatif de votre lien avec l'entreprise (facultatif)",
        help_text="Extrait Kbis de moins de trois mois ou mandat signé : il accélère la vérification de votre "
        "rattachement.",
    )
    mot_de_passe = forms.CharField(
        label="Mot de passe",
        strip=False,
        help_text="Au moins 12 caractères.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    mot_de_passe_confirmation = forms.CharField(
        label="Confirmation du mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        messages = {
            "prenom": "Saisissez votre prénom.",
            "nom": "Saisissez votre nom.",
            "email": "Saisissez votre adresse électronique.",
            "siret": "Saisissez le SIRET de votre établissement.",
            "mot_de_passe": "Choisissez un mot de passe.",
            "mot_de_passe_confirmation": "Saisissez à nouveau le mot de passe.",
        }
        for nom, message in messages.items():
            self.fields[nom].error_messages["required"] = message
        self.fields["email"].error_messages["invalid"] = "Saisissez une adresse valide, par exemple nom@entreprise.fr."

    def clean_siret(self):

        try:
            return siret_verifier(self.cleaned_data["siret"])
        except ValidationError as erreur:
            raise ValidationError(erreur.message_dict["siret"]) from None

    def clean_email(self):
        # No « this address has an account » here: sign-up must not reveal it (the owner is emailed).
        return self.cleaned_data["email"].lower()

    def clean(self):
        donnees = super().clean()
        mdp, confirmation = donnees.get("mot_de_passe"), donnees.get("mot_de_passe_confirmation")
        if mdp and confirmation and mdp != confirmation:
            self.add_error("mot_de_passe_confirmation", "Les deux mots de passe ne sont pas identiques.")
        elif mdp:
            try:
                validate_password(mdp, User(email=donnees.get("email", "")))
            except ValidationError as erreur:
                self.add_error("mot_de_passe", erreur)
        return donnees


class JetonCreationForm(forms.Form):
    """The token of one display of the new-application form: posting that form twice creates one
    application (services_demande.demande_creer). A missing or malformed token is no error."""

    jeton = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def jeton_lu(self):
        return self.cleaned_data["jeton"] if self.is_valid() else None
