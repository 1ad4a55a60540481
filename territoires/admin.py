from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AlerteConvention,
    ConventionTerritoriale,
    EcheanceConventionnement,
    EngagementAnnuel,
    PieceConvention,
    RevueDeProjets,
)


class EngagementAnnuelInline(admin.TabularInline):
    model = EngagementAnnuel
    extra = 0


@admin.register(ConventionTerritoriale)
class ConventionTerritorialeAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "epci", "type", "statut", "date_debut", "date_fin"]
    list_filter = ["type", "statut", "epci__departements"]
    search_fields = ["epci__nom", "epci__siren", "intitule"]
    raw_id_fields = ["epci"]
    inlines = [EngagementAnnuelInline]


@admin.register(EcheanceConventionnement)
class EcheanceConventionnementAdmin(admin.ModelAdmin):
    list_display = ["date", "type", "libelle", "actif"]


@admin.register(AlerteConvention)
class AlerteConventionAdmin(admin.ModelAdmin):
    list_display = ["convention", "seuil", "envoyee_le"]
    raw_id_fields = ["convention"]


@admin.register(PieceConvention)
class PieceConventionAdmin(admin.ModelAdmin):
    list_display = ["nom_original", "convention", "taille", "ajoutee_le"]
    raw_id_fields = ["convention", "ajoutee_par"]


@admin.register(RevueDeProjets)
class RevueDeProjetsAdmin(admin.ModelAdmin):
    list_display = ["date", "lieu", "statut", "rappel_envoye_le"]
    list_filter = ["statut"]
    filter_horizontal = ["epcis", "participants_internes"]
    raw_id_fields = ["creee_par"]
