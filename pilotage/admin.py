"""Pilotage rows in the admin: read-only (surveys and answers are written by their services only);
the panel can be corrected or emptied (a company head withdrawing)."""

from django.contrib import admin

from .models import Enquete, MembrePanel, RapportPilotage, ReponseEnquete


class LectureSeule(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Enquete)
class EnqueteAdmin(LectureSeule):
    list_display = ["pk", "occasion", "direction", "dispositif", "envoyee_le"]
    list_filter = ["occasion", "direction"]


@admin.register(ReponseEnquete)
class ReponseEnqueteAdmin(LectureSeule):
    list_display = ["enquete", "utilite", "simplicite", "repondue_le"]


@admin.register(RapportPilotage)
class RapportPilotageAdmin(LectureSeule):
    list_display = ["annee", "document"]
    list_select_related = ["document"]


@admin.register(MembrePanel)
class MembrePanelAdmin(admin.ModelAdmin):
    list_display = ["nom", "fonction", "email", "entreprise", "inscrit_le"]
    search_fields = ["nom", "email"]
    readonly_fields = ["enquete", "inscrit_le"]
