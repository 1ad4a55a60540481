from django import forms

from portal.models import User

from .models import EPCI, RevueDeProjets


class ChoixAgents(forms.ModelMultipleChoiceField):
    def label_from_instance(self, agent: User) -> str:
        return f"{agent} ({agent.direction.code})" if agent.direction_id else str(agent)


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
        queryset=User.objects.agents().select_related("direction").order_by("last_name", "first_name"),
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
