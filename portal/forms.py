from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm


class ConnexionForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Adresse électronique ou mot de passe incorrect. Vérifiez votre saisie et réessayez.",
        "inactive": "Ce compte est désactivé. Contactez l'administrateur du portail.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Adresse électronique"
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "type": "email"})
        self.fields["password"].label = "Mot de passe"


class ReinitialisationForm(PasswordResetForm):
    """Password reset whose email goes through the outbox, like every other email."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        from .services import notification_creer

        notification_creer(
            gabarit="mot_de_passe",
            destinataire=context["user"],
            contexte={"uid": context["uid"], "token": context["token"]},
        )
