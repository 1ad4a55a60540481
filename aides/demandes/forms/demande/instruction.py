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


class BoiteFiltresForm(forms.Form):
    A_TRAITER = "a_traiter"
    statut = forms.ChoiceField(
        label="État",
        required=False,
        choices=[(A_TRAITER, "À traiter (déposée, en instruction, complément demandé)"), ("", "Tous les états")]
        + [c for c in Statut.choices if c[0] != Statut.BROUILLON],
    )
    dispositif = forms.ModelChoiceField(label="Dispositif", required=False, queryset=None, empty_label="Tous")
    direction = forms.ModelChoiceField(label="Direction", required=False, queryset=None, empty_label="Toutes")
    departement = forms.ModelChoiceField(label="Département", required=False, queryset=None, empty_label="Tous")
    epci = forms.ModelChoiceField(label="EPCI", required=False, queryset=None, empty_label="Tous")
    mes_demandes = forms.BooleanField(label="Seulement celles qui me sont attribuées", required=False)
    en_retard = forms.BooleanField(label="En cours au-delà du délai d'instruction cible", required=False)
    non_attribuees = forms.BooleanField(label="En cours et attribuées à personne", required=False)

    def __init__(self, *args, **kwargs):
        from aides.catalogue.models.dispositif import Dispositif
        from portal.models import Direction
        from territoires.models import EPCI, Departement

        super().__init__(*args, **kwargs)
        self.fields["dispositif"].queryset = Dispositif.objects.exclude(statut=Dispositif.Statut.BROUILLON).only(
            "nom", "slug"
        )
        self.fields["direction"].queryset = Direction.objects.all()
        self.fields["departement"].queryset = Departement.objects.all()
        self.fields["epci"].queryset = EPCI.objects.only("siren", "nom").order_by("nom")
