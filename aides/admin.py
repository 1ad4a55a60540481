from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Dispositif, TypeIndicateur
from .services import slug_unique


@admin.register(Dispositif)
class DispositifAdmin(SimpleHistoryAdmin):
    """For administrators; staff edit the catalogue at /agents/aides/, where the publication rules apply."""

    list_display = ["nom", "statut", "direction", "operateur", "date_ouverture", "date_cloture", "demo"]
    list_filter = ["statut", "direction", "operateur", "demo"]
    search_fields = ["nom", "slug"]
    readonly_fields = ["slug", "publie_le", "cree_le", "modifie_le"]
    filter_horizontal = ["departements", "epcis"]
    list_select_related = ["direction"]

    def save_model(self, request, obj, form, change):
        # The slug is read-only here: give a new dispositif the same address the services would.
        if not obj.slug:
            obj.slug = slug_unique(obj.nom)
        super().save_model(request, obj, form, change)


@admin.register(TypeIndicateur)
class TypeIndicateurAdmin(admin.ModelAdmin):
    """Reference data of pilotage: the impact indicators a dispositif may track."""

    list_display = ["libelle", "unite", "code", "ordre"]
    prepopulated_fields = {"code": ["libelle"]}
