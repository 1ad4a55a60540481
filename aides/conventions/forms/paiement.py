"""Forms of the payment requests, the final report and the repayments (issue 17). Every field is
optional in a draft: the service checks completeness at deposit, so nothing typed is lost."""

from decimal import Decimal

from django import forms

from portal.verification import fichier_verifier

NOMBRE_FICHIERS = 3


def _fichiers(form, prefixe: str = "fichier"):
    return [form.cleaned_data[n] for n in form.fields if n.startswith(prefixe) and form.cleaned_data.get(n)]


class AvecFichiers(forms.Form):
    """Up to three files, each checked by its content (aides.demandes.documents.fichier_verifier)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, NOMBRE_FICHIERS + 1):
            self.fields[f"fichier_{i}"] = forms.FileField(
                label=f"Fichier {i} (PDF, JPEG, PNG, XLSX, DOCX ou ODT)", required=False
            )

    def clean(self):
        donnees = super().clean()
        for nom in [n for n in self.fields if n.startswith("fichier_")]:
            if donnees.get(nom):
                try:
                    donnees[nom] = fichier_verifier(donnees[nom])
                except forms.ValidationError as erreur:
                    self.add_error(nom, erreur)
        return donnees

    def fichiers(self):
        return _fichiers(self)


class LigneForm(forms.Form):
    fournisseur = forms.CharField(label="Fournisseur", max_length=200, required=False)
    numero_facture = forms.CharField(label="N° de facture", max_length=100, required=False)
    date_facture = forms.DateField(
        label="Date de la facture", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    montant_ht = forms.DecimalField(label="Montant HT (€)", min_value=Decimal("0"), decimal_places=2, required=False)
    montant_ttc = forms.DecimalField(label="Montant TTC (€)", min_value=Decimal("0"), decimal_places=2, required=False)
    ligne_depense = forms.TypedChoiceField(label="Dépense prévue", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, choix_lignes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ligne_depense"].choices = [("", "—")] + list(choix_lignes)


LignesFormSet = forms.formset_factory(LigneForm, extra=0, max_num=200, validate_max=True)


class DemandeVersementForm(AvecFichiers):
    commentaire = forms.CharField(
        label="Commentaire (facultatif)", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    certifie = forms.BooleanField(
        label="Je certifie sur l'honneur l'exactitude de l'état des dépenses et que les factures sont acquittées.",
        required=False,
    )


class TrancheForm(forms.Form):
    tranche = forms.TypedChoiceField(label="Tranche", coerce=int)

    def __init__(self, *args, tranches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tranche"].choices = [(t.index, f"{t.libelle} ({t.pourcentage} %)") for t in tranches]


class ReponseVersementForm(AvecFichiers):
    texte = forms.CharField(
        label="Votre réponse", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ComplementForm(AvecFichiers):
    texte = forms.CharField(label="Ce qui manque", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class RefusForm(forms.Form):
    motif = forms.CharField(label="Motif du refus", max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class RapportForm(forms.Form):
    bilan = forms.CharField(
        label="Bilan de l'opération", required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )
    preuve = forms.FileField(label="Preuve de publicité (photo de la plaque, capture d'écran)", required=False)

    def __init__(self, *args, nombre: int = 4, **kwargs):
        super().__init__(*args, **kwargs)
        self.nombre = nombre
        for i in range(nombre):
            self.fields[f"indicateur_{i}"] = forms.CharField(label="Indicateur", required=False, max_length=200)
            self.fields[f"valeur_{i}"] = forms.DecimalField(label="Valeur réalisée", required=False, decimal_places=2)
            self.fields[f"unite_{i}"] = forms.CharField(label="Unité", required=False, max_length=30)

    def clean_preuve(self):
        fichier = self.cleaned_data.get("preuve")
        return fichier_verifier(fichier) if fichier else None

    def lignes_indicateurs(self):
        return [(f"indicateur_{i}", f"valeur_{i}", f"unite_{i}") for i in range(self.nombre)]

    def indicateurs(self):
        d = self.cleaned_data
        return [(d.get(a), d.get(b), d.get(c)) for a, b, c in self.lignes_indicateurs() if d.get(a)]


class RapportDecisionForm(forms.Form):
    valide = forms.TypedChoiceField(
        label="Décision",
        choices=[("1", "Valider"), ("0", "À corriger")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    motif = forms.CharField(label="Observations", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EcheancierForm(forms.Form):
    montant = forms.DecimalField(label="Montant à rembourser (€)", min_value=Decimal("0.01"), decimal_places=2)
    debut = forms.DateField(label="Point de départ", widget=forms.DateInput(attrs={"type": "date"}))
    differe_mois = forms.IntegerField(label="Différé (mois)", min_value=0, max_value=120, initial=12)
    nombre = forms.IntegerField(label="Nombre d'échéances", min_value=1, max_value=240, initial=8)
    periodicite_mois = forms.TypedChoiceField(
        label="Périodicité",
        coerce=int,
        choices=[(1, "Mensuelle"), (3, "Trimestrielle"), (6, "Semestrielle"), (12, "Annuelle")],
        initial=3,
    )


class EcheancePayeeForm(forms.Form):
    paye_le = forms.DateField(label="Payée le", widget=forms.DateInput(attrs={"type": "date"}))
    montant_paye = forms.DecimalField(label="Montant reçu (€)", min_value=Decimal("0.01"), decimal_places=2)


class ImportRemboursementsForm(forms.Form):
    fichier = forms.FileField(label="Fichier CSV de la comptabilité (convention;echeance;date_paiement;montant)")

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        if fichier.size > 2 * 1024 * 1024:
            raise forms.ValidationError("Le fichier dépasse 2 Mo.")
        try:
            return fichier.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                fichier.seek(0)
                return fichier.read().decode("cp1252")
            except UnicodeDecodeError as erreur:
                raise forms.ValidationError("Le fichier n'est pas un CSV lisible (UTF-8 ou Windows).") from erreur


class ControleFederForm(forms.Form):
    from aides.conventions.models.feder import ControleFeder as _Controle

    type = forms.ChoiceField(label="Type de contrôle", choices=_Controle.Type.choices)
    le = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    resultat = forms.ChoiceField(label="Résultat", choices=_Controle.Resultat.choices)
    observations = forms.CharField(label="Observations", required=False, widget=forms.Textarea(attrs={"rows": 2}))
