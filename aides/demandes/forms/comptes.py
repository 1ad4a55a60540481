"""Forms of the company account: invitations, roles, signing capacities, attachment requests."""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from aides.demandes.forms.demande import FichierField, classes_bootstrap
from aides.demandes.models.espace import Membre
from crm.referentiels import valider_sans_balise
from portal.forms import FormulaireAccessible
from portal.models import User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _Bootstrap(FormulaireAccessible):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        classes_bootstrap(self)


class InvitationForm(_Bootstrap, forms.Form):
    email = forms.EmailField(
        label="Adresse électronique de la personne invitée",
        error_messages={"required": "Saisissez l'adresse à inviter.", "invalid": "Saisissez une adresse valide."},
    )
    role = forms.ChoiceField(label="Rôle dans le compte", choices=Membre.Role.choices, initial=Membre.Role.MEMBRE)


class RoleForm(_Bootstrap, forms.Form):
    role = forms.ChoiceField(label="Rôle dans le compte", choices=Membre.Role.choices)


class CapaciteForm(_Bootstrap, forms.Form):
    capacite = forms.ChoiceField(label="Capacité de signature", choices=Membre.Capacite.choices, required=False)
    delegation_de = forms.CharField(
        label="Délégation donnée par (nom et qualité)",
        max_length=200,
        required=False,
        validators=[valider_sans_balise],
        help_text="Pour un délégataire : par exemple « Claire Picard, gérante ».",
    )
    delegation_debut = forms.DateField(label="Délégation du", required=False, widget=DATE)
    delegation_fin = forms.DateField(label="Délégation au", required=False, widget=DATE)
    document = FichierField(label="Acte de délégation signé (PDF)")


class DecisionRattachementForm(_Bootstrap, forms.Form):
    role = forms.ChoiceField(
        label="Rôle s'il est accepté", choices=Membre.Role.choices, initial=Membre.Role.MEMBRE, required=False
    )
    motif = forms.CharField(
        label="Motif (obligatoire pour un refus, envoyé au demandeur)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RattachementForm(_Bootstrap, forms.Form):
    siret = forms.CharField(
        label="SIRET de l'établissement",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": "Saisissez le SIRET de l'établissement."},
    )
    justificatif = FichierField(
        label="Justificatif (Kbis, mandat, lettre de mission)",
        help_text="Il permet à l'entreprise ou à la Région de vérifier votre rattachement.",
    )
    message = forms.CharField(
        label="Message (facultatif)",
        required=False,
        max_length=2000,
        validators=[valider_sans_balise],
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CompteInviteForm(_Bootstrap, forms.Form):
    prenom = forms.CharField(label="Prénom", max_length=150, validators=[valider_sans_balise])
    nom = forms.CharField(label="Nom", max_length=150, validators=[valider_sans_balise])
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

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        donnees = super().clean()
        mdp, confirmation = donnees.get("mot_de_passe"), donnees.get("mot_de_passe_confirmation")
        if mdp and confirmation and mdp != confirmation:
            self.add_error("mot_de_passe_confirmation", "Les deux mots de passe ne sont pas identiques.")
        elif mdp:
            try:
                validate_password(mdp, User(email=self.email))
            except ValidationError as erreur:
                self.add_error("mot_de_passe", erreur)
        return donnees
