"""Forms of the company space and of the instruction. Every field is optional while the draft is
being written: completeness is checked at deposit, so nothing typed is refused for being partial."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from crm.referentiels import valider_sans_balise
from portal.forms import FormulaireAccessible
from portal.models import User
from portal.roles import Role
from portal.verification import FORMATS_LISIBLES, FichierVerifie, fichier_verifier, taille_lisible, taille_maximale

from .documents import (
    FichierEnAttente,
    fichier_mettre_en_attente,
    fichiers_en_attente_lire,
    fichiers_en_attente_signer,
    fichiers_en_attente_supprimer,
)
from .models import Demande, Statut

FORMATS_DATE = ["%Y-%m-%d", "%d/%m/%Y"]


def classes_bootstrap(form: forms.BaseForm) -> None:
    for champ in form.fields.values():
        if isinstance(champ.widget, forms.Select):
            champ.widget.attrs.setdefault("class", "form-select")
        elif not isinstance(champ.widget, (forms.CheckboxInput, forms.RadioSelect, forms.HiddenInput)):
            champ.widget.attrs.setdefault("class", "form-control")


class MontantInput(forms.TextInput):
    """Shows a stored amount the French way (« 15 000,00 »), which MontantField reads back."""

    def format_value(self, value):
        if isinstance(value, (Decimal, int, float)):
            entier, _, decimales = f"{Decimal(value):.2f}".partition(".")
            groupes = []
            while entier:
                groupes.insert(0, entier[-3:])
                entier = entier[:-3]
            return " ".join(groupes) + "," + decimales
        return super().format_value(value)


class MontantField(forms.DecimalField):
    """Accepts « 12 500,50 », « 12500.50 » or « 12 500 € »."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("localize", False)
        super().__init__(**kwargs)
        self.widget = MontantInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        self.error_messages.update(
            {
                "invalid": "Saisissez un montant en euros, par exemple 12 500,50.",
                "min_value": "Le montant ne peut pas être négatif.",
                "max_decimal_places": "Un montant a au plus deux chiffres après la virgule.",
            }
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("€", "")
            value = value.replace(",", ".")
        try:
            return super().to_python(value)
        except (InvalidOperation, ValidationError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class DateField(forms.DateField):
    def __init__(self, **kwargs):
        super().__init__(input_formats=FORMATS_DATE, **kwargs)
        self.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.error_messages["invalid"] = "Saisissez une date valide, par exemple 27/11/2026."


class FichierField(forms.FileField):
    """A document checked by its content (aides.documents); the cleaned value is a FichierVerifie."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            f"Formats {FORMATS_LISIBLES} ; {taille_lisible(taille_maximale())} au plus.",
        )
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,.xlsx,.docx,.odt"
        self.error_messages["empty"] = "Le fichier est vide. Choisissez le bon fichier."

    def clean(self, data, initial=None):
        fichier = super().clean(data, initial)
        if not fichier:
            return None
        return fichier_verifier(fichier)


# --- Sign-up --------------------------------------------------------------------------------------


class InscriptionForm(FormulaireAccessible, forms.Form):
    prenom = forms.CharField(
        label="Prénom",
        max_length=150,
        validators=[valider_sans_balise],
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    nom = forms.CharField(
        label="Nom",
        max_length=150,
        validators=[valider_sans_balise],
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label="Adresse électronique",
        help_text="Un lien de confirmation vous sera envoyé à cette adresse.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    siret = forms.CharField(
        label="SIRET de votre établissement",
        max_length=20,
        help_text="14 chiffres, par exemple 732 829 320 00074 (sur un extrait Kbis ou l'avis de situation INSEE).",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    raison_sociale = forms.CharField(
        label="Raison sociale",
        max_length=250,
        required=False,
        validators=[valider_sans_balise],
        help_text="Utile si votre entreprise n'est pas encore connue de la Région.",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    adresse = forms.CharField(
        label="Adresse de l'établissement",
        max_length=300,
        required=False,
        validators=[valider_sans_balise],
        help_text="Obligatoire si votre établissement n'est pas encore connu de la Région.",
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    code_postal = forms.CharField(
        label="Code postal",
        max_length=5,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    commune = forms.CharField(
        label="Commune",
        max_length=200,
        required=False,
        help_text="Obligatoire si votre établissement n'est pas encore connu de la Région.",
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    justificatif = FichierField(
        label="Justificatif de votre lien avec l'entreprise (facultatif)",
        help_text="Extrait Kbis de moins de trois mois ou mandat signé : il accélère la vérification de votre "
        "rattachement.",
    )
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        messages = {
            "prenom": "Saisissez votre prénom.",
            "nom": "Saisissez votre nom.",
            "email": "Saisissez votre adresse électronique.",
            "siret": "Saisissez le SIRET de votre établissement.",
            "mot_de_passe": "Choisissez un mot de passe.",
            "mot_de_passe_confirmation": "Saisissez à nouveau le mot de passe.",
        }
        for nom, message in messages.items():
            self.fields[nom].error_messages["required"] = message
        self.fields["email"].error_messages["invalid"] = "Saisissez une adresse valide, par exemple nom@entreprise.fr."

    def clean_siret(self):
        from .services_demande import siret_verifier

        try:
            return siret_verifier(self.cleaned_data["siret"])
        except ValidationError as erreur:
            raise ValidationError(erreur.message_dict["siret"]) from None

    def clean_email(self):
        # No « this address has an account » here: sign-up must not reveal it (the owner is emailed).
        return self.cleaned_data["email"].lower()

    def clean(self):
        donnees = super().clean()
        mdp, confirmation = donnees.get("mot_de_passe"), donnees.get("mot_de_passe_confirmation")
        if mdp and confirmation and mdp != confirmation:
            self.add_error("mot_de_passe_confirmation", "Les deux mots de passe ne sont pas identiques.")
        elif mdp:
            try:
                validate_password(mdp, User(email=donnees.get("email", "")))
            except ValidationError as erreur:
                self.add_error("mot_de_passe", erreur)
        return donnees


# --- Application ----------------------------------------------------------------------------------


class DemandeForm(forms.ModelForm):
    date_debut_projet = DateField(
        label="Date de début du projet",
        required=False,
        help_text="Premier engagement (devis signé, commande, début des travaux). Il doit être postérieur au dépôt.",
    )
    montant_demande = MontantField(label="Montant de l'aide demandée (€)", required=False)

    class Meta:
        model = Demande
        fields = ["intitule", "projet", "date_debut_projet", "montant_demande", "declaration_de_minimis_faite"]
        labels = {
            "declaration_de_minimis_faite": (
                "Je certifie que la liste ci-dessus contient toutes les aides de minimis reçues par mon "
                "entreprise au cours des trois dernières années (elle peut être vide)."
            )
        }
        widgets = {"projet": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, de_minimis: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not de_minimis:
            del self.fields["declaration_de_minimis_faite"]
        self.fields["intitule"].validators.append(valider_sans_balise)
        classes_bootstrap(self)


class JetonCreationForm(forms.Form):
    """The token of one display of the new-application form: posting that form twice creates one
    application (services_demande.demande_creer). A missing or malformed token is no error."""

    jeton = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def jeton_lu(self):
        return self.cleaned_data["jeton"] if self.is_valid() else None


class LigneDepenseForm(forms.Form):
    nature = forms.CharField(
        label="Nature de la dépense", max_length=200, required=False, validators=[valider_sans_balise]
    )
    montant_ht = MontantField(label="Montant HT (€)", required=False)

    def clean(self):
        donnees = super().clean()
        nature, montant = donnees.get("nature"), donnees.get("montant_ht")
        if nature and montant is None and "montant_ht" not in self.errors:
            self.add_error("montant_ht", "Indiquez le montant HT de cette dépense.")
        if montant is not None and not nature:
            self.add_error("nature", "Indiquez la nature de cette dépense.")
        return donnees


class DeclarationForm(forms.Form):
    organisme = forms.CharField(label="Organisme", max_length=200, required=False, validators=[valider_sans_balise])
    date_octroi = DateField(label="Date d'octroi", required=False)
    montant = MontantField(label="Montant (€)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        classes_bootstrap(self)

    def clean(self):
        donnees = super().clean()
        remplis = [nom for nom in ("organisme", "date_octroi", "montant") if donnees.get(nom) not in (None, "")]
        if remplis and len(remplis) < 3:
            for nom in ("organisme", "date_octroi", "montant"):
                if nom not in remplis and nom not in self.errors:
                    self.add_error(nom, "Complétez cette ligne ou videz-la.")
        return donnees


class LignesBaseFormSet(forms.BaseFormSet):
    def lignes_remplies(self) -> list[dict]:
        return [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and any(v not in (None, "") for v in f.cleaned_data.values())
        ]


LignesFormSet = forms.formset_factory(
    LigneDepenseForm, formset=LignesBaseFormSet, extra=3, max_num=100, absolute_max=100
)
DeclarationsFormSet = forms.formset_factory(
    DeclarationForm, formset=LignesBaseFormSet, extra=2, max_num=50, absolute_max=50
)


def lignes_initiales(demande: Demande) -> list[dict]:
    return [{"nature": ligne.nature, "montant_ht": ligne.montant_ht} for ligne in demande.lignes.all()]


def declarations_initiales(demande: Demande) -> list[dict]:
    return [
        {"organisme": d.organisme, "date_octroi": d.date_octroi, "montant": d.montant}
        for d in demande.declarations_de_minimis.all()
    ]


class PiecesForm(forms.Form):
    """One file input per document the dispositif requires, plus one for any other document."""

    def __init__(self, *args, documents_requis: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.types = {}
        for i, libelle in enumerate(documents_requis):
            self.fields[f"piece_{i}"] = FichierField(label=libelle)
            self.types[f"piece_{i}"] = libelle
        self.fields["piece_autre"] = FichierField(label="Autre document (facultatif)")
        self.types["piece_autre"] = "autre"


class ReponseForm(forms.Form):
    """The answer to a complement request: a text and up to 3 files. A valid file sent with a form
    refused for another reason waits on disk (aides.documents, « en attente ») and is listed on the
    re-displayed form: the company does not choose it again, and may remove it."""

    NOMBRE_FICHIERS = 3

    texte = forms.CharField(label="Votre réponse", widget=forms.Textarea(attrs={"rows": 5}), required=False)
    fichier_1 = FichierField(label="Document 1")
    fichier_2 = FichierField(label="Document 2")
    fichier_3 = FichierField(label="Document 3")
    retirer = forms.MultipleChoiceField(
        label="Retirer un document déjà joint", required=False, widget=forms.CheckboxSelectMultiple
    )
    remplacer = forms.MultipleChoiceField(
        label="Cette réponse remplace des documents du dossier",
        help_text="Cochez le document périmé ou erroné que votre nouveau document remplace (il reste visible, "
        "marqué « remplacé »).",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    en_attente = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, cle: str = "", pieces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.cle = cle
        self.fields["remplacer"].choices = [
            (str(p.pk), f"Remplace « {p.nom_original} » ({p.type_piece})") for p in pieces if p.remplacee_par_id is None
        ]
        self.joints = fichiers_en_attente_lire(self.data.get("en_attente", ""), cle=cle) if self.is_bound else []
        self.fields["retirer"].choices = [(j.chemin, j.nom_original) for j in self.joints]
        classes_bootstrap(self)

    def _nouveaux(self) -> list[FichierVerifie]:
        donnees = getattr(self, "cleaned_data", {})
        return [donnees[n] for n in ("fichier_1", "fichier_2", "fichier_3") if donnees.get(n)]

    def _gardes(self) -> list[FichierEnAttente]:
        retires = set(getattr(self, "cleaned_data", {}).get("retirer") or [])
        return [j for j in self.joints if j.chemin not in retires]

    def clean(self):
        donnees = super().clean()
        if len(self._gardes()) + len(self._nouveaux()) > self.NOMBRE_FICHIERS:
            raise ValidationError(
                f"Joignez au plus {self.NOMBRE_FICHIERS} documents à une réponse : retirez un document déjà "
                "joint ou choisissez moins de fichiers."
            )
        return donnees

    def fichiers(self) -> list[FichierVerifie]:
        """Every file of the answer: those waiting from a previous try, then those just sent."""
        return [j.verifie() for j in self._gardes()] + self._nouveaux()

    def garder_les_fichiers_valides(self) -> None:
        """The form is refused: store its valid new files, forget the removed ones, and carry the
        list in the re-displayed form."""
        retires = [j for j in self.joints if j not in self._gardes()]
        fichiers_en_attente_supprimer(retires)
        self.joints = self._gardes() + [fichier_mettre_en_attente(v) for v in self._nouveaux()]
        self.data = self.data.copy()
        self.data["en_attente"] = fichiers_en_attente_signer(self.joints, cle=self.cle)
        self.data.setlist("retirer", [])
        self.fields["retirer"].choices = [(j.chemin, j.nom_original) for j in self.joints]

    def oublier_les_fichiers_en_attente(self) -> None:
        """The answer is sent: its waiting files are now pieces of the application."""
        fichiers_en_attente_supprimer(self.joints)


# --- Instruction ----------------------------------------------------------------------------------


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
        from portal.models import Direction
        from territoires.models import EPCI, Departement

        from .models import Dispositif

        super().__init__(*args, **kwargs)
        self.fields["dispositif"].queryset = Dispositif.objects.exclude(statut=Dispositif.Statut.BROUILLON).only(
            "nom", "slug"
        )
        self.fields["direction"].queryset = Direction.objects.all()
        self.fields["departement"].queryset = Departement.objects.all()
        self.fields["epci"].queryset = EPCI.objects.only("siren", "nom").order_by("nom")
