from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Contact, Entreprise, Etablissement, Interaction, Sollicitation, Structure, Tache


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
    list_display = ["cree_le", "nom", "besoin", "commune", "direction", "statut"]
    list_filter = ["statut", "direction", "besoin"]
    raw_id_fields = ["entreprise", "etablissement", "commune"]
