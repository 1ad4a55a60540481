"""The inbox's batch form: the selected files and one action with its parameters."""

from django import forms

from aides.demandes.forms.demande.champs import DateField, classes_bootstrap
from aides.demandes.models.demande import Demande, Statut
from portal.models import User
from portal.roles import Role


class LotForm(forms.Form):
    ACTIONS = [
        ("attribuer", "Attribuer à un instructeur"),
        ("commencer", "Commencer l'instruction"),
        ("complement", "Demander le même complément"),
        ("decision", "Enregistrer la décision de la commission"),
    ]
    demandes = forms.ModelMultipleChoiceField(queryset=Demande.objects.none(), label="Dossiers sélectionnés")
    action = forms.ChoiceField(label="Action sur les dossiers sélectionnés", choices=[("", "— Choisir —"), *ACTIONS])
    instructeur = forms.ModelChoiceField(
        label="Instructeur", queryset=User.objects.none(), required=False, empty_label="(personne)"
    )
    texte = forms.CharField(label="Complément demandé", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    decision = forms.ChoiceField(
        label="Décision",
        required=False,
        choices=[("", "— Choisir —"), (Statut.ACCORDEE, "Accorder (montant demandé)"), (Statut.REFUSEE, "Refuser")],
    )
    motif = forms.CharField(label="Motif (communiqué à l'entreprise)", required=False)
    date_commission = DateField(label="Date de la commission", required=False)
    numero_deliberation = forms.CharField(label="Numéro de délibération", max_length=50, required=False)

    def __init__(self, *args, demandes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["demandes"].queryset = demandes if demandes is not None else Demande.objects.deposees()
        self.fields["demandes"].error_messages["required"] = "Cochez au moins un dossier."
        self.fields["action"].error_messages["required"] = "Choisissez une action."
        self.fields["instructeur"].queryset = (
            User.objects.agents().filter(groups__name=Role.INSTRUCTEUR.value).distinct().order_by("last_name", "email")
        )
        classes_bootstrap(self)

    def clean(self):
        donnees = super().clean()
        action = donnees.get("action")
        if action == "complement" and not (donnees.get("texte") or "").strip():
            self.add_error("texte", "Écrivez ce que les entreprises doivent fournir.")
        if action == "decision":
            if not donnees.get("decision"):
                self.add_error("decision", "Choisissez une décision : accorder ou refuser.")
            if not (donnees.get("motif") or "").strip():
                self.add_error("motif", "Motivez la décision : le motif est communiqué aux entreprises.")
        return donnees
