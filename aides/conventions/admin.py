"""Admin for the FEDER follow-up (claims, controls, publicity proofs): the FEDER service works here;
the signature circuit and payments have their own pages under /agents/saf/."""

from django.contrib import admin

from aides.conventions.models.feder import (
    AppelDeFonds,
    ControleFeder,
    LigneEtatDepenses,
    OperationFeder,
    PreuvePublicite,
)


class AppelInline(admin.TabularInline):
    model = AppelDeFonds
    extra = 0


class ControleInline(admin.TabularInline):
    model = ControleFeder
    extra = 0


class PreuveInline(admin.TabularInline):
    model = PreuvePublicite
    extra = 0


@admin.register(OperationFeder)
class OperationFederAdmin(admin.ModelAdmin):
    list_display = ["code_operation", "convention", "objectif_specifique", "montant_ue", "dernier_paiement_le"]
    list_filter = ["objectif_specifique", "demo"]
    search_fields = ["code_operation", "convention__numero"]
    raw_id_fields = ["convention"]
    readonly_fields = ["archiver_jusqu_au", "support_publicite"]
    inlines = [AppelInline, ControleInline, PreuveInline]


class LigneInline(admin.TabularInline):
    model = LigneEtatDepenses
    extra = 1


@admin.register(AppelDeFonds)
class AppelDeFondsAdmin(admin.ModelAdmin):
    list_display = ["operation", "numero", "depose_le", "depenses_declarees", "montant_ue", "etat"]
    list_filter = ["etat"]
    inlines = [LigneInline]
