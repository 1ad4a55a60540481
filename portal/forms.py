from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from .services import reinitialisation_demander


class FormulaireAccessible:
    """After a failed submission, put the focus (autofocus) on the first field in error.

    With errors on the form as a whole only (wrong password...), the focus stays on the first field.
    """

    def full_clean(self) -> None:
        super().full_clean()
        premier = next((nom for nom in self.fields if nom in (self._errors or {})), None)
        if premier is None:
            return
        for champ in self.fields.values():
            champ.widget.attrs.pop("autofocus", None)
        self.fields[premier].widget.attrs["autofocus"] = True


class ConnexionForm(FormulaireAccessible, AuthenticationForm):
    error_messages = {
        "invalid_login": "Adresse électronique ou mot de passe incorrect. Vérifiez votre saisie et réessayez.",
        "inactive": "Ce compte est désactivé. Contactez l'administrateur du portail.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        champ = self.fields["username"]
        champ.label = "Adresse électronique"
        champ.widget = forms.EmailInput(attrs={**champ.widget.attrs, "autocomplete": "email"})
        champ.error_messages["required"] = "Saisissez votre adresse électronique."
        self.fields["password"].label = "Mot de passe"
        self.fields["password"].error_messages["required"] = "Saisissez votre mot de passe."


REINITIALISATIONS_PAR_HEURE = 3


class ReinitialisationForm(FormulaireAccessible, PasswordResetForm):
    """Password reset whose email goes through the outbox, like every other email."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        champ = self.fields["email"]
        champ.label = "Adresse électronique"
        champ.help_text = "L'adresse avec laquelle vous vous connectez au portail, par exemple nom@entreprise.fr."
        champ.widget.attrs.update({"autofocus": True, "autocomplete": "email"})
        champ.error_messages.update(
            {
                "required": "Saisissez l'adresse électronique de votre compte.",
                "invalid": "Saisissez une adresse électronique valide, par exemple nom@entreprise.fr.",
            }
        )

    def save(self, *args, **kwargs) -> None:
        """Same work for every address (known, unknown, staff): one row and one task; the task looks
        the address up and writes the email (see portal.services.reinitialisation_traiter)."""

        reinitialisation_demander(email=self.cleaned_data["email"])


class NouveauMotDePasseForm(FormulaireAccessible, SetPasswordForm):
    pass


def champ_code_totp(label: str = "Code à 6 chiffres") -> forms.CharField:
    """The one-time code field: digits on a phone keyboard, filled in by password managers."""
    return forms.CharField(
        label=label,
        help_text="Le code affiché en ce moment par votre application d'authentification (il change toutes les 30 s).",
        max_length=10,
        error_messages={"required": "Saisissez le code à 6 chiffres de votre application d'authentification."},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "autofocus": True,
                "class": "form-control",
            }
        ),
    )


class CodeTotpForm(FormulaireAccessible, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"] = champ_code_totp()


class DesactivationSecondFacteurForm(FormulaireAccessible, forms.Form):
    mot_de_passe = forms.CharField(
        label="Votre mot de passe",
        error_messages={"required": "Saisissez votre mot de passe."},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": "form-control"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"] = champ_code_totp()
        self.fields["code"].widget.attrs.pop("autofocus")
