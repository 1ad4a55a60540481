"""Admin of the payment requests, final reports and repayments (issue 17): read-only. Every state
change goes through aides.conventions.services.paiement, from the pages of /espace/ and /agents/saf/."""

from django.contrib import admin

from aides.conventions.models.paiement import (
    DemandeVersement,
    DepenseJustifiee,
    EchangeVersement,
    EcheanceRemboursement,
    IndicateurRealiseI17,
    RapportFinal,
)


class LectureSeule(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LectureSeuleEnLigne(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DepenseEnLigne(LectureSeuleEnLigne):
    model = DepenseJustifiee


class EchangeEnLigne(LectureSeuleEnLigne):
    model = EchangeVersement


@admin.register(DemandeVersement)
class DemandeVersementAdmin(LectureSeule):
    list_display = ["convention", "type", "etat", "montant_demande", "montant_retenu", "depose_le", "demo"]
    list_filter = ["etat", "type", "demo"]
    search_fields = ["convention__numero"]
    inlines = [DepenseEnLigne, EchangeEnLigne]


class IndicateurEnLigne(LectureSeuleEnLigne):
    model = IndicateurRealiseI17


@admin.register(RapportFinal)
class RapportFinalAdmin(LectureSeule):
    list_display = ["convention", "etat", "depose_le", "valide_le", "demo"]
    list_filter = ["etat", "demo"]
    inlines = [IndicateurEnLigne]


@admin.register(EcheanceRemboursement)
class EcheanceRemboursementAdmin(LectureSeule):
    list_display = ["convention", "numero", "date_echeance", "montant", "paye_le", "montant_paye", "demo"]
    list_filter = ["demo"]
    search_fields = ["convention__numero"]
