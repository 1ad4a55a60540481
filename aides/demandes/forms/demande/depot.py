from django import forms
from django.core.exceptions import ValidationError

from aides.demandes.documents import (
    FichierEnAttente,
    fichier_mettre_en_attente,
    fichiers_en_attente_lire,
    fichiers_en_attente_signer,
    fichiers_en_attente_supprimer,
)
from aides.demandes.forms.demande.champs import DateField, FichierField, MontantField, classes_bootstrap
from aides.demandes.models.demande import Demande
from crm.referentiels import valider_sans_balise
from portal.verification import FichierVerifie


class DemandeForm(forms.ModelForm):
    """What the application form asks outside the dispositif's questions (formulaires): the de
    minimis self-declaration of a de minimis aid."""

    class Meta:
        model = Demande
        fields = ["declaration_de_minimis_faite"]
        labels = {
            "declaration_de_minimis_faite": (
                "Je certifie que la liste ci-dessus contient toutes les aides de minimis reçues par mon "
                "entreprise au cours des trois dernières années (elle peut être vide)."
            )
        }

    def __init__(self, *args, de_minimis: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not de_minimis:
            del self.fields["declaration_de_minimis_faite"]


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


DeclarationsFormSet = forms.formset_factory(
    DeclarationForm, formset=LignesBaseFormSet, extra=2, max_num=50, absolute_max=50
)


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
    refused for another reason waits in the storage (aides.demandes.documents, « en attente ») and is listed on the
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
        self.fields["retirer"].choices = [(j.document, j.nom_original) for j in self.joints]
        classes_bootstrap(self)

    def _nouveaux(self) -> list[FichierVerifie]:
        donnees = getattr(self, "cleaned_data", {})
        return [donnees[n] for n in ("fichier_1", "fichier_2", "fichier_3") if donnees.get(n)]

    def _gardes(self) -> list[FichierEnAttente]:
        retires = set(getattr(self, "cleaned_data", {}).get("retirer") or [])
        return [j for j in self.joints if j.document not in retires]

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
        self.fields["retirer"].choices = [(j.document, j.nom_original) for j in self.joints]

    def oublier_les_fichiers_en_attente(self) -> None:
        """The answer is sent: its waiting files are now pieces of the application."""
        fichiers_en_attente_supprimer(self.joints)
