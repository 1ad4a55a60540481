from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DemandeDeContact, EtapeParcours, ParcoursType, SyntheseParcours


class EtapeInline(admin.StackedInline):
    model = EtapeParcours
    extra = 1
    filter_horizontal = ["dispositifs"]


@admin.register(ParcoursType)
class ParcoursTypeAdmin(SimpleHistoryAdmin):
    list_display = ["nom", "direction", "actif", "ordre", "demo"]
    list_filter = ["actif", "direction", "demo"]
    prepopulated_fields = {"slug": ["nom"]}
    inlines = [EtapeInline]


@admin.register(SyntheseParcours)
class SyntheseParcoursAdmin(admin.ModelAdmin):
    list_display = ["pk", "cree_le", "document"]
    list_select_related = ["document"]
    readonly_fields = ["profil", "document", "cree_le"]


@admin.register(DemandeDeContact)
class DemandeDeContactAdmin(admin.ModelAdmin):
    list_display = ["cree_le", "parcours", "conseiller", "sollicitation_id"]
    readonly_fields = ["jeton", "profil", "parcours", "conseiller", "sollicitation_id", "cree_le"]
