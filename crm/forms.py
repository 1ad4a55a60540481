from django import forms
from django.urls import reverse_lazy

from portal.models import Direction, User
from territoires.forms import CommuneField

from .models import Contact, Entreprise, Etablissement, Interaction, Structure, Tache
from .referentiels import Besoin, Theme, naf_normaliser, valider_sans_balise
from .services import contacts_doublons

AVERTISSEMENT_NOTES = (
    "Faits et besoins de l'entreprise uniquement : pas d'opinion ni d'appréciation sur les personnes "
    "(ces notes peuvent être communiquées à la personne concernée qui en fait la demande)."
)


def champ_commune(**kwargs) -> CommuneField:
    return CommuneField(
        label=kwargs.pop("label", "Commune"),
        help_text="Nom, code postal ou code INSEE, par exemple « Amiens » ou « 80021 ».",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "data-autocompletion-commune": "",
                "data-url": reverse_lazy("territoires:communes-recherche"),
            }
        ),
        **kwargs,
    )


class ChoixAgent(forms.ModelChoiceField):
    def label_from_instance(self, agent: User) -> str:
        return f"{agent} ({agent.direction.code})" if agent.direction_id else str(agent)


class ChoixAgents(forms.ModelMultipleChoiceField):
    def label_from_instance(self, agent: User) -> str:
        return f"{agent} ({agent.direction.code})" if agent.direction_id else str(agent)


def agents_qs():
    return User.objects.agents().select_related("direction").order_by("last_name", "first_name")


class EntrepriseForm(forms.ModelForm):
    class Meta:
        model = Entreprise
        fields = ["siren", "denomination", "sigle", "categorie_juridique", "naf", "tranche_effectifs", "date_creation"]
        widgets = {"date_creation": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_siren(self) -> str:
        return "".join(self.cleaned_data["siren"].split())

    def clean_naf(self) -> str:
        return naf_normaliser(self.cleaned_data["naf"]) if self.cleaned_data["naf"] else ""


class EtablissementForm(forms.ModelForm):
    commune = champ_commune()

    class Meta:
        model = Etablissement
        fields = ["siret", "enseigne", "adresse", "code_postal", "commune", "siege", "actif", "naf"]

    def clean_siret(self) -> str:
        return "".join(self.cleaned_data["siret"].split())

    def clean_naf(self) -> str:
        return naf_normaliser(self.cleaned_data["naf"]) if self.cleaned_data["naf"] else ""


class ContactForm(forms.ModelForm):
    creer_quand_meme = forms.BooleanField(
        label="Créer quand même un nouveau contact (ce n'est pas la même personne)", required=False
    )

    class Meta:
        model = Contact
        fields = ["prenom", "nom", "fonction", "email", "telephone", "base_legale"]


class InteractionForm(forms.ModelForm):
    agents = ChoixAgents(
        label="Agents de la Région présents",
        queryset=agents_qs(),
        required=False,
        help_text="Vous en faites partie d'office. Plusieurs choix possibles (Ctrl ou appui long).",
    )
    structures = forms.ModelMultipleChoiceField(
        label="Partenaires présents",
        queryset=Structure.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contacts = forms.ModelMultipleChoiceField(
        label="Personnes rencontrées",
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.MultipleChoiceField(
        label="Thèmes", choices=Theme.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    nouveau_prenom = forms.CharField(label="Prénom", required=False, max_length=100, validators=[valider_sans_balise])
    nouveau_nom = forms.CharField(label="Nom", required=False, max_length=100, validators=[valider_sans_balise])
    nouveau_fonction = forms.CharField(
        label="Fonction", required=False, max_length=150, validators=[valider_sans_balise]
    )
    nouveau_email = forms.EmailField(label="Courriel", required=False)
    nouveau_telephone = forms.CharField(label="Téléphone", required=False, max_length=30)
    nouveau_creer_quand_meme = forms.BooleanField(
        label="Créer quand même ce contact (ce n'est pas la même personne)", required=False
    )

    class Meta:
        model = Interaction
        fields = ["type", "date", "objet", "etablissement", "contacts", "agents", "structures", "themes", "notes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {"notes": AVERTISSEMENT_NOTES}
        # The model field has no verbose name: Django would write « Etablissement » without its accent.
        labels = {"etablissement": "Établissement"}

    def __init__(self, *args, entreprise: Entreprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.entreprise = entreprise
        self.fields["etablissement"].queryset = entreprise.etablissements.select_related("commune")
        self.fields["etablissement"].required = False
        self.fields["contacts"].queryset = entreprise.contacts.actifs()
        self.doublons = []

    def clean(self):
        donnees = super().clean()
        if any(donnees.get(f"nouveau_{champ}") for champ in ("prenom", "fonction", "email", "telephone")) and not (
            donnees.get("nouveau_nom")
        ):
            self.add_error("nouveau_nom", "Indiquez le nom de la personne rencontrée à ajouter.")
        email = donnees.get("nouveau_email")
        if donnees.get("nouveau_nom") and email and not donnees.get("nouveau_creer_quand_meme"):
            self.doublons = list(contacts_doublons(email=email))
            if self.doublons:
                self.add_error(
                    "nouveau_email",
                    "Un contact a déjà cette adresse : cochez-le parmi les personnes rencontrées, ou cochez "
                    "« Créer quand même » s'il s'agit d'une autre personne.",
                )
        return donnees

    def nouveau_contact(self) -> dict | None:
        d = self.cleaned_data
        if not d.get("nouveau_nom"):
            return None
        return {
            "prenom": d["nouveau_prenom"],
            "nom": d["nouveau_nom"],
            "fonction": d["nouveau_fonction"],
            "email": d["nouveau_email"],
            "telephone": d["nouveau_telephone"],
        }


class TacheForm(forms.Form):
    titre = forms.CharField(label="Suite à donner", required=False, max_length=250, validators=[valider_sans_balise])
    assignee = ChoixAgent(label="Qui s'en charge", queryset=agents_qs(), required=False)
    echeance = forms.DateField(label="Échéance", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        donnees = super().clean()
        if donnees.get("titre"):
            if not donnees.get("assignee"):
                self.add_error("assignee", "Choisissez qui s'en charge.")
            if not donnees.get("echeance"):
                self.add_error("echeance", "Indiquez une échéance.")
        elif donnees.get("assignee") or donnees.get("echeance"):
            self.add_error("titre", "Décrivez la suite à donner.")
        return donnees


TacheFormSet = forms.formset_factory(TacheForm, extra=2, max_num=10)


class ReferentForm(forms.Form):
    referent = ChoixAgent(label="Référent (chef de file)", queryset=agents_qs(), required=False)
    motif = forms.CharField(label="Motif du changement", required=False, max_length=300)


class SollicitationPubliqueForm(forms.Form):
    nom = forms.CharField(label="Vos nom et prénom", max_length=200, validators=[valider_sans_balise])
    email = forms.EmailField(label="Votre adresse électronique")
    telephone = forms.CharField(label="Votre téléphone (facultatif)", max_length=30, required=False)
    entreprise_saisie = forms.CharField(
        label="Votre entreprise ou son SIRET (facultatif)",
        max_length=250,
        required=False,
        help_text="Laissez vide si elle n'existe pas encore.",
        validators=[valider_sans_balise],
    )
    commune = champ_commune(label="Commune de l'entreprise ou du projet")
    besoin = forms.ChoiceField(label="Votre besoin", choices=Besoin.choices)
    message = forms.CharField(
        label="Précisez votre demande (facultatif)",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=4000,
    )
    consentement = forms.BooleanField(
        label=(
            "J'accepte que la Région Hauts-de-France utilise ces informations pour me recontacter "
            "au sujet de ma demande."
        ),
        error_messages={"required": "Votre accord est nécessaire pour que la Région vous recontacte."},
    )


class SollicitationAgentForm(SollicitationPubliqueForm):
    consentement = forms.BooleanField(label="La personne a donné son accord pour être recontactée", required=False)
    siren = forms.CharField(label="SIREN de l'entreprise (si connue)", required=False, max_length=9)


class ReponseForm(forms.Form):
    reponse = forms.CharField(
        label="Réponse apportée",
        help_text="Envoyée par courriel au demandeur, avec votre nom et votre adresse.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class ReorientationForm(forms.Form):
    direction = forms.ModelChoiceField(
        label="Vers une autre direction", queryset=Direction.objects.all(), required=False
    )
    structure = forms.ModelChoiceField(
        label="Ou vers un partenaire", queryset=Structure.objects.filter(active=True), required=False
    )
    motif = forms.CharField(label="Motif", max_length=1000)

    def clean(self):
        donnees = super().clean()
        if bool(donnees.get("direction")) == bool(donnees.get("structure")):
            raise forms.ValidationError("Choisissez soit une autre direction, soit un partenaire.")
        return donnees


class ClotureForm(forms.Form):
    motif = forms.CharField(label="Motif de clôture", max_length=1000)


class TacheSimpleForm(TacheForm):
    titre = forms.CharField(label="Suite à donner", max_length=250, validators=[valider_sans_balise])


__all__ = ["Tache"]
