from django import forms

from territoires.models import EPCI, RevueDeProjets

from .forms import ChoixAgent, ChoixAgents, agents_qs
from .models import Entreprise, PointRevue
from .referentiels import valider_sans_balise
from .revues import entreprises_trouver


class PointRevueForm(forms.Form):
    """Add a company to the agenda: typed as a name, SIREN or SIRET; several matches → pick one."""

    recherche = forms.CharField(
        label="Entreprise : nom, SIREN ou SIRET",
        max_length=120,
        required=False,
        help_text="Accents et petites fautes tolérés. L'entreprise doit exister dans le CRM.",
    )
    siren = forms.CharField(required=False, max_length=9)  # chosen among the suggestions (radio buttons)
    sujet = forms.CharField(
        label="Sujet à examiner",
        max_length=250,
        validators=[valider_sans_balise],
        help_text="Ex. : « Projet d'extension : demande d'aide à l'investissement ».",
        error_messages={"required": "Indiquez le sujet à examiner."},
    )

    prefix = "point"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions: list[Entreprise] = []

    def clean(self):
        donnees = super().clean()
        siren = (donnees.get("siren") or "").strip()
        texte = (donnees.get("recherche") or "").strip()
        if siren:
            entreprise = Entreprise.objects.filter(siren=siren).first()
            if entreprise is None:
                self.add_error("recherche", "Cette entreprise n'existe plus dans le CRM : cherchez-la à nouveau.")
            donnees["entreprise"] = entreprise
            return donnees
        if not texte:
            self.add_error("recherche", "Saisissez le nom, le SIREN ou le SIRET de l'entreprise.")
            return donnees
        trouvees = entreprises_trouver(texte)
        if not trouvees:
            self.add_error(
                "recherche",
                f"Aucune entreprise du CRM ne correspond à « {texte} ». Vérifiez l'orthographe, saisissez son SIREN "
                "ou créez-la d'abord dans le CRM.",
            )
        elif len(trouvees) > 1:
            self.suggestions = trouvees
            self.add_error("recherche", "Plusieurs entreprises correspondent : choisissez-la dans la liste proposée.")
        else:
            donnees["entreprise"] = trouvees[0]
        return donnees


class CompteRenduForm(forms.Form):
    """The minutes of every item of the agenda, in one form (nothing typed is lost between items)."""

    prefix = "cr"

    def __init__(self, *args, points: list[PointRevue], **kwargs):
        super().__init__(*args, **kwargs)
        self.points = points
        for point in points:
            self.fields[f"point_{point.pk}"] = forms.CharField(
                label=f"{point.ordre}. {point.entreprise.denomination} – {point.sujet}",
                required=False,
                max_length=20000,
                initial=point.compte_rendu,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def textes(self) -> dict[int, str]:
        return {point.pk: self.cleaned_data.get(f"point_{point.pk}", "") for point in self.points}


class DecisionForm(forms.Form):
    """A decision of the review: a CRM task on the item's company, with an assignee and a due date."""

    point = forms.ChoiceField(label="Point de l'ordre du jour")
    titre = forms.CharField(
        label="Décision (suite à donner)",
        max_length=250,
        validators=[valider_sans_balise],
        error_messages={"required": "Décrivez la décision ou la suite à donner."},
    )
    assignee = ChoixAgent(
        label="Qui s'en charge", queryset=agents_qs(), error_messages={"required": "Choisissez qui s'en charge."}
    )
    echeance = forms.DateField(
        label="Échéance",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Indiquez une échéance."},
    )

    prefix = "decision"

    def __init__(self, *args, points: list[PointRevue], **kwargs):
        super().__init__(*args, **kwargs)
        self.points = {str(point.pk): point for point in points}
        self.fields["point"].choices = [("", "---------")] + [
            (str(point.pk), f"{point.ordre}. {point.entreprise.denomination} – {point.sujet}") for point in points
        ]
        self.fields["point"].error_messages["required"] = "Choisissez le point de l'ordre du jour concerné."
        self.fields["point"].error_messages["invalid_choice"] = "Ce point n'est plus à l'ordre du jour."

    def clean_point(self) -> PointRevue:
        return self.points[self.cleaned_data["point"]]


# --- Planning a review (date, place, EPCI, participants) ---------------------------------------------


class RevueForm(forms.Form):
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    heure = forms.TimeField(
        label="Heure", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    lieu = forms.CharField(label="Lieu", max_length=200, help_text="Adresse, salle ou « visioconférence ».")
    epcis = forms.ModelMultipleChoiceField(
        label="EPCI concernés",
        queryset=EPCI.objects.defer("contour").order_by("nom"),
        help_text="Un ou plusieurs (Ctrl ou Cmd + clic pour en choisir plusieurs).",
        widget=forms.SelectMultiple(attrs={"size": 8}),
        error_messages={"required": "Choisissez au moins un EPCI."},
    )
    participants_internes = ChoixAgents(
        label="Participants de la Région",
        queryset=agents_qs(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Ils reçoivent un rappel 7 jours avant la revue.",
    )
    participants_partenaires = forms.CharField(
        label="Participants partenaires",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Un par ligne, avec sa structure (État, EPCI, CCI, CMA, HDFID…) : « Marie Durand, CCI ».",
    )


class RevueModifierForm(RevueForm):
    statut = forms.ChoiceField(label="Statut", choices=RevueDeProjets.Statut.choices)
