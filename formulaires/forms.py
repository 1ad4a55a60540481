"""The builder's forms (staff): a form, a section, a question. One choice per line in textareas."""

from django import forms

from portal.champs import MontantField

from .champs import classes_bootstrap
from .models import TYPES_CONDITION, TYPES_SOUS_CHAMP, Champ, DocumentCoffre, Formulaire, Preremplissage, TypeChamp


class FormulaireForm(forms.ModelForm):
    class Meta:
        model = Formulaire
        fields = ["nom", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        classes_bootstrap(self)


class SectionForm(forms.Form):
    titre = forms.CharField(label="Titre de la section", max_length=200)
    aide = forms.CharField(label="Texte d'aide", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    eligibilite = forms.BooleanField(
        label="Questions d'éligibilité (posées d'abord ; une réponse bloquante arrête la demande)", required=False
    )
    condition_champ = forms.ChoiceField(label="Afficher cette section seulement si la question", required=False)
    condition_valeur = forms.CharField(
        label="a pour réponse", max_length=200, required=False, help_text="« oui », « non » ou l'un des choix."
    )

    def __init__(self, *args, questions: list[Champ] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["condition_champ"].choices = [("", "(toujours afficher)")] + [
            (c.code, f"{c.libelle} ({c.code})") for c in questions if c.type in TYPES_CONDITION and not c.parent_id
        ]
        classes_bootstrap(self)

    def clean(self):
        donnees = super().clean()
        if donnees.get("condition_champ") and not donnees.get("condition_valeur"):
            self.add_error("condition_valeur", "Indiquez la réponse qui affiche la section.")
        return donnees


def lignes(texte: str) -> list[str]:
    return [ligne.strip() for ligne in (texte or "").splitlines() if ligne.strip()]


class ChampForm(forms.Form):
    libelle = forms.CharField(label="Question (libellé)", max_length=300)
    code = forms.SlugField(
        label="Code",
        max_length=50,
        help_text="Nom de la colonne dans les exports : minuscules, chiffres et _ (par exemple nb_salaries).",
    )
    type = forms.ChoiceField(label="Type de réponse", choices=TypeChamp.choices)
    aide = forms.CharField(label="Texte d'aide", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    requis = forms.BooleanField(label="Réponse obligatoire au dépôt", required=False)
    options = forms.CharField(
        label="Choix possibles (un par ligne)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    minimum = MontantField(label="Valeur minimale", required=False)
    maximum = MontantField(label="Valeur maximale", required=False)
    date_min = forms.CharField(
        label="Date au plus tôt",
        required=False,
        max_length=50,
        help_text="AAAA-MM-JJ, « aujourdhui », ou le code d'une autre question date.",
    )
    date_max = forms.CharField(label="Date au plus tard", required=False, max_length=50)
    valeurs_bloquantes = forms.CharField(
        label="Réponses qui arrêtent la demande (une par ligne ; section d'éligibilité)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    motif_blocage = forms.CharField(label="Motif montré à l'entreprise", required=False, max_length=500)
    preremplir = forms.ChoiceField(label="Préremplir avec", choices=Preremplissage.choices, required=False)
    coffre = forms.ChoiceField(
        label="Document du coffre de l'entreprise (question fichier)", choices=DocumentCoffre.choices, required=False
    )

    def __init__(self, *args, colonne: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if colonne:
            self.fields["type"].choices = [(t.value, t.label) for t in TYPES_SOUS_CHAMP]
            for nom in ("valeurs_bloquantes", "motif_blocage", "preremplir", "coffre"):
                del self.fields[nom]
        classes_bootstrap(self)

    @staticmethod
    def initial_de(champ: Champ) -> dict:
        return {
            **{nom: getattr(champ, nom) for nom in ("libelle", "code", "type", "aide", "requis", "minimum", "maximum")},
            **{nom: getattr(champ, nom) for nom in ("date_min", "date_max", "motif_blocage", "preremplir", "coffre")},
            "options": "\n".join(champ.options),
            "valeurs_bloquantes": "\n".join(champ.valeurs_bloquantes),
        }

    def valeurs(self) -> dict:
        donnees = dict(self.cleaned_data)
        donnees["options"] = lignes(donnees.get("options", ""))
        if "valeurs_bloquantes" in donnees:
            donnees["valeurs_bloquantes"] = lignes(donnees["valeurs_bloquantes"])
        return donnees
