import uuid

from django import forms
from django.forms import inlineformset_factory

from aides.catalogue.referentiels import BORNES_TAILLE, TailleEntreprise
from aides.models import Dispositif
from crm.referentiels import valider_sans_balise
from territoires.selectors import commune_resoudre

from . import naf
from .models import EtapeParcours, ParcoursType
from .profil import Maturite, Profil, Projet, StadeEntreprise, Statut


class AccessibleMixin:
    """Each widget names its help and error texts (aria-describedby) and says when it is invalid."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for nom, champ in self.fields.items():
            if champ.help_text and not isinstance(champ.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
                champ.widget.attrs["aria-describedby"] = f"aide-{nom}"

    def full_clean(self):
        super().full_clean()
        for nom, champ in self.fields.items():
            decrit = [f"aide-{nom}"] if champ.help_text else []
            if nom in self.errors:
                decrit.append(f"erreur-{nom}")
                champ.widget.attrs["aria-invalid"] = "true"
                if isinstance(champ.widget, (forms.TextInput, forms.NumberInput, forms.EmailInput, forms.Textarea)):
                    champ.widget.attrs["class"] = champ.widget.attrs.get("class", "") + " is-invalid"
            if decrit and not isinstance(champ.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
                champ.widget.attrs["aria-describedby"] = " ".join(decrit)


class ProfilForm(AccessibleMixin, forms.Form):
    """The seven questions. Sent by GET: the answers are the result page's address."""

    stade = forms.ChoiceField(
        label="Où en est votre entreprise ?",
        choices=StadeEntreprise.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    taille = forms.ChoiceField(
        label="Tranche d'effectif",
        choices=TailleEntreprise.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    effectif = forms.IntegerField(
        label="Effectif exact (facultatif)",
        min_value=0,
        max_value=500_000,
        required=False,
        help_text="Nombre de salariés en équivalent temps plein, si vous le connaissez.",
        error_messages={"invalid": "Indiquez un nombre entier de salariés, par exemple 12."},
    )
    naf = forms.CharField(
        label="Secteur d'activité (facultatif)",
        max_length=120,
        required=False,
        help_text="Une lettre de section (C pour l'industrie, G pour le commerce…) ou votre code NAF (APE), "
        "par exemple 10.71C.",
    )
    statuts = forms.MultipleChoiceField(
        label="Votre entreprise est-elle… ?",
        choices=Statut.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    commune = forms.CharField(
        label="Commune de l'entreprise ou du projet",
        max_length=200,
        help_text="Nom, code postal ou code INSEE, par exemple « Amiens » ou « 80021 ».",
        error_messages={"required": "Indiquez la commune de votre entreprise ou de votre projet."},
    )
    projets = forms.MultipleChoiceField(
        label="Quels sont vos projets ?",
        choices=Projet.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Plusieurs choix possibles.",
    )
    maturite = forms.ChoiceField(
        label="Si vous voulez innover : où en est votre projet ?",
        choices=Maturite.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.commune_trouvee = None
        self.hors_region = False
        self.fields["commune"].widget.attrs.update(
            {"data-autocompletion-commune": "", "autocomplete": "off", "class": "form-control"}
        )
        self.fields["naf"].widget.attrs.update({"list": "naf-suggestions", "class": "form-control"})
        self.fields["effectif"].widget.attrs.update({"class": "form-control", "inputmode": "numeric"})

    def clean_naf(self) -> str | None:
        saisie = self.cleaned_data.get("naf", "").strip()
        if not saisie:
            return None
        code = naf.normaliser_naf(saisie)
        if code is None:
            raise forms.ValidationError(
                "Indiquez une lettre de section (A à U) ou un code NAF comme 10.71C ; « %(saisie)s » n'en est pas un.",
                params={"saisie": saisie},
            )
        return code

    def clean_commune(self) -> str:
        saisie = self.cleaned_data["commune"]
        trouvee = commune_resoudre(saisie)
        if trouvee.hors_region:
            self.hors_region = True
            return saisie.strip()
        if trouvee.commune is None:
            if trouvee.candidates:
                noms = ", ".join(f"{c.nom} ({c.code_insee})" for c in trouvee.candidates[:8])
                raise forms.ValidationError(
                    "Plusieurs communes correspondent : %(noms)s. Précisez le code INSEE ou le code postal.",
                    params={"noms": noms},
                )
            message = (
                "Nous ne trouvons pas « %(saisie)s » parmi les communes des Hauts-de-France. Vérifiez l'orthographe "
                "ou indiquez le code postal."
            )
            if trouvee.approchantes:
                noms = ", ".join(f"{c.nom} ({c.code_insee})" for c in trouvee.approchantes[:8])
                message += f" Vouliez-vous dire : {noms} ?"
            raise forms.ValidationError(message, params={"saisie": saisie})
        self.commune_trouvee = trouvee.commune
        return trouvee.commune.code_insee

    def clean(self):
        donnees = super().clean()
        effectif, taille = donnees.get("effectif"), donnees.get("taille")
        if effectif is not None and taille:
            minimum, maximum = BORNES_TAILLE[TailleEntreprise(taille)]
            if effectif < minimum or (maximum is not None and effectif > maximum):
                self.add_error(
                    "effectif",
                    f"{effectif} salariés ne correspond pas à la tranche « {TailleEntreprise(taille).label} » : "
                    "corrigez l'un ou l'autre.",
                )
        return donnees

    def profil(self) -> Profil:
        d = self.cleaned_data
        return Profil(
            commune=d["commune"],
            stade=d.get("stade") or None,
            taille=d.get("taille") or None,
            effectif=d.get("effectif"),
            naf=d.get("naf"),
            statuts=tuple(d.get("statuts") or ()),
            projets=tuple(d.get("projets") or ()),
            maturite=d.get("maturite") or None,
        )

    def naf_suggestions(self):
        return naf.suggestions()


class ContactForm(AccessibleMixin, forms.Form):
    """« Être contacté par mon conseiller »."""

    nom = forms.CharField(
        label="Nom et prénom",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        validators=[valider_sans_balise],
    )
    email = forms.EmailField(
        label="Adresse électronique",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": "Indiquez une adresse électronique valide, par exemple nom@entreprise.fr."},
    )
    telephone = forms.CharField(
        label="Téléphone (facultatif)",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    entreprise = forms.CharField(
        label="Entreprise ou numéro SIRET (facultatif)",
        max_length=250,
        required=False,
        validators=[valider_sans_balise],
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    message = forms.CharField(
        label="Votre message (facultatif)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce que vous souhaitez dire à votre conseiller : votre projet, vos disponibilités…",
    )
    consentement = forms.BooleanField(
        label="J'accepte que la Région Hauts-de-France utilise ces informations pour me recontacter au sujet de "
        "mon projet.",
        error_messages={"required": "Votre accord est nécessaire pour que la Région vous recontacte."},
    )
    jeton = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for nom, champ in self.fields.items():
            if nom not in ("consentement", "jeton"):
                champ.widget.attrs.setdefault("class", "form-control")
        self.fields["consentement"].widget.attrs["class"] = "form-check-input"


# --- Staff: parcours templates ----------------------------------------------------------------


def _cases(choix, label: str) -> forms.TypedMultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choix.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Aucune case cochée : toutes les réponses.",
    )


class ParcoursTypeForm(forms.ModelForm):
    stades = _cases(StadeEntreprise, "Étapes de l'entreprise")
    projets = _cases(Projet, "Projets")
    statuts = _cases(Statut, "Statuts")
    tailles = _cases(TailleEntreprise, "Tailles")
    maturites = _cases(Maturite, "Maturités du projet d'innovation")

    class Meta:
        model = ParcoursType
        fields = [
            "nom",
            "slug",
            "description",
            "direction",
            "stades",
            "projets",
            "statuts",
            "tailles",
            "maturites",
            "ordre",
            "actif",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class EtapeForm(forms.ModelForm):
    dispositifs = forms.ModelMultipleChoiceField(
        label="Dispositifs",
        queryset=Dispositif.objects.exclude(statut=Dispositif.Statut.ARCHIVE).only("id", "nom"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="Maintenez Ctrl (ou Cmd) pour en choisir plusieurs.",
    )

    class Meta:
        model = EtapeParcours
        fields = ["ordre", "type", "titre", "texte", "dispositifs", "operateurs"]
        widgets = {"texte": forms.Textarea(attrs={"rows": 2})}


EtapeFormSet = inlineformset_factory(
    ParcoursType, EtapeParcours, form=EtapeForm, extra=3, can_delete=True, min_num=1, validate_min=True
)
