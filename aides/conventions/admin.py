"""Admin for the FEDER follow-up (claims, controls, publicity proofs): the FEDER service works here;
the signature circuit and payments have their own pages under /agents/saf/."""

from django import forms
from django.contrib import admin
from django.template.defaultfilters import filesizeformat

from aides.conventions.models.feder import (
    AppelDeFonds,
    ControleFeder,
    LigneEtatDepenses,
    OperationFeder,
    PreuvePublicite,
)
from aides.conventions.services.paiement import preuve_publicite_enregistrer, preuve_publicite_supprimer
from portal.verification import fichier_verifier


class AppelInline(admin.TabularInline):
    model = AppelDeFonds
    extra = 0


class ControleInline(admin.TabularInline):
    model = ControleFeder
    extra = 0


class PreuveForm(forms.ModelForm):
    """The file is checked by its content (the one checker) and stored by the service, never by the admin."""

    fichier = forms.FileField(label="fichier (nouveau)", required=False)

    class Meta:
        model = PreuvePublicite
        fields = ["type", "description", "le"]

    def clean_fichier(self):
        fichier = self.cleaned_data.get("fichier")
        return fichier_verifier(fichier) if fichier else None


class PreuveInline(admin.TabularInline):
    model = PreuvePublicite
    form = PreuveForm
    extra = 0
    readonly_fields = ["fichier_depose"]

    @admin.display(description="fichier déposé")
    def fichier_depose(self, preuve: PreuvePublicite) -> str:
        document = preuve.document
        return f"{filesizeformat(document.taille)}, SHA-256 {document.sha256[:12]}…" if document else "—"


@admin.register(OperationFeder)
class OperationFederAdmin(admin.ModelAdmin):
    list_display = ["code_operation", "convention", "objectif_specifique", "montant_ue", "dernier_paiement_le"]
    list_filter = ["objectif_specifique", "demo"]
    search_fields = ["code_operation", "convention__numero"]
    raw_id_fields = ["convention"]
    readonly_fields = ["archiver_jusqu_au", "support_publicite"]
    inlines = [AppelInline, ControleInline, PreuveInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not PreuvePublicite:
            return super().save_formset(request, form, formset, change)
        fichiers = {id(f.instance): f.cleaned_data.get("fichier") for f in formset.forms if f.cleaned_data}
        for preuve in formset.save(commit=False):
            preuve_publicite_enregistrer(preuve=preuve, fichier=fichiers.get(id(preuve)), par=request.user)
        for preuve in formset.deleted_objects:
            preuve_publicite_supprimer(preuve_id=preuve.pk)
        return None


class LigneInline(admin.TabularInline):
    model = LigneEtatDepenses
    extra = 1


@admin.register(AppelDeFonds)
class AppelDeFondsAdmin(admin.ModelAdmin):
    list_display = ["operation", "numero", "depose_le", "depenses_declarees", "montant_ue", "etat"]
    list_filter = ["etat"]
    inlines = [LigneInline]
