from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Alerte, Dispositif
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


@admin.register(Alerte)
class AlerteAdmin(admin.ModelAdmin):
    """Read-only: alerts are made, confirmed and deleted by their owner's signed links (aides.alertes)."""

    list_display = ["email", "requete", "frequence", "cree_le", "confirmee_le", "dernier_envoi_le"]
    list_filter = ["frequence"]
    search_fields = ["email"]
    readonly_fields = [f.name for f in Alerte._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
