from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Contact,
    DocumentRevue,
    Entreprise,
    Etablissement,
    FinancementStructure,
    Indicateur,
    Interaction,
    PointRevue,
    Sollicitation,
    Structure,
    Tache,
)


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ["nom", "sigle", "type", "epci", "active"]
    list_filter = ["type", "active"]
    search_fields = ["nom", "sigle"]


@admin.register(Entreprise)
class EntrepriseAdmin(admin.ModelAdmin):
    list_display = ["denomination", "siren", "naf", "etat", "referent"]
    search_fields = ["siren", "denomination"]
    raw_id_fields = ["referent"]
    show_full_result_count = False


@admin.register(Etablissement)
class EtablissementAdmin(admin.ModelAdmin):
    list_display = ["siret", "enseigne", "commune", "siege", "actif"]
    search_fields = ["siret"]
    raw_id_fields = ["entreprise", "commune"]
    show_full_result_count = False


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["nom", "prenom", "entreprise", "base_legale", "conserver_jusquau", "anonymise_le"]
    search_fields = ["nom", "email"]
    raw_id_fields = ["entreprise"]


@admin.register(Interaction)
class InteractionAdmin(SimpleHistoryAdmin):
    list_display = ["date", "type", "objet", "entreprise", "auteur"]
    raw_id_fields = ["entreprise", "etablissement", "auteur", "sollicitation"]
    filter_horizontal = ["agents", "structures"]


@admin.register(Tache)
class TacheAdmin(admin.ModelAdmin):
    list_display = ["titre", "entreprise", "assignee", "echeance", "faite_le"]
    raw_id_fields = ["entreprise", "interaction"]


@admin.register(Sollicitation)
class SollicitationAdmin(admin.ModelAdmin):
    """Its follow-up (taken in charge, answered, redirected, closed) is read-only here: it goes through
    the services of /agents/crm/sollicitations/, which date it and notify."""

    list_display = ["cree_le", "nom", "besoin", "commune", "direction", "statut"]
    list_filter = ["statut", "direction", "besoin"]
    raw_id_fields = ["entreprise", "etablissement", "commune"]
    readonly_fields = [
        "statut",
        "prise_en_charge_le",
        "prise_en_charge_par",
        "repondue_le",
        "reponse",
        "reorientee_vers_direction",
        "reorientee_vers_structure",
        "close_le",
        "relance_le",
        "alerte_le",
        "anonymisee_le",
    ]


# --- Project reviews (agenda items, PDFs) and partners' fundings -------------------------------------


@admin.register(PointRevue)
class PointRevueAdmin(admin.ModelAdmin):
    list_display = ["revue", "ordre", "entreprise", "sujet"]
    raw_id_fields = ["revue", "entreprise", "ajoute_par"]


@admin.register(DocumentRevue)
class DocumentRevueAdmin(admin.ModelAdmin):
    list_display = ["revue", "type", "document"]
    list_filter = ["type"]
    list_select_related = ["revue", "document"]
    readonly_fields = ["revue", "type", "document"]

    def has_add_permission(self, request):
        return False


class IndicateurInline(admin.TabularInline):
    model = Indicateur
    extra = 2


@admin.register(FinancementStructure)
class FinancementStructureAdmin(admin.ModelAdmin):
    list_display = ["structure", "direction", "annee", "montant", "objet"]
    list_filter = ["annee", "direction"]
    search_fields = ["structure__nom", "structure__sigle", "objet"]
    autocomplete_fields = ["structure"]
    inlines = [IndicateurInline]
