from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AlerteConvention,
    ConventionTerritoriale,
    EcheanceConventionnement,
    EngagementAnnuel,
    PieceConvention,
    RevueDeProjets,
)
from .services import convention_changer_statut


class EngagementAnnuelInline(admin.TabularInline):
    model = EngagementAnnuel
    extra = 0


class ConventionTerritorialeAdminForm(forms.ModelForm):
    class Meta:
        model = ConventionTerritoriale
        fields = "__all__"  # noqa: DJ007  (the admin picks the fields: its own, less the read-only ones)

    def _get_validation_exclusions(self):
        # The status is read-only here, yet the no-overlap constraint reads it: validate with it
        # (Django's ExclusionConstraint cannot skip a condition on an excluded field).
        exclusions = super()._get_validation_exclusions()
        exclusions.discard("statut")
        return exclusions


@admin.register(ConventionTerritoriale)
class ConventionTerritorialeAdmin(SimpleHistoryAdmin):
    """The status and its dates are read-only here: the actions below go through the same service as
    /agents/territoires/ (signatories required to sign); a termination, which needs its motive, is
    done from the convention's page under /agents/territoires/."""

    form = ConventionTerritorialeAdminForm
    list_display = ["__str__", "epci", "type", "statut", "date_debut", "date_fin"]
    list_filter = ["type", "statut", "epci__departements"]
    search_fields = ["epci__nom", "epci__siren", "intitule"]
    raw_id_fields = ["epci"]
    readonly_fields = ["statut", "signee_le", "resiliee_le", "motif_resiliation"]
    inlines = [EngagementAnnuelInline]
    actions = ["passer_en_negociation", "revenir_en_projet", "declarer_signee"]

    def _changer(self, request, queryset, statut: str, succes: str) -> None:
        faites = 0
        for convention in queryset:
            try:
                convention_changer_statut(convention=convention, statut=statut, par=request.user)
            except ValidationError as erreur:
                self.message_user(request, f"{convention} : {' '.join(erreur.messages)}", messages.ERROR)
            else:
                faites += 1
        if faites:
            self.message_user(request, f"{faites} convention(s) {succes}.", messages.SUCCESS)

    @admin.action(description="Passer en négociation")
    def passer_en_negociation(self, request, queryset):
        self._changer(request, queryset, ConventionTerritoriale.Statut.EN_NEGOCIATION, "passée(s) en négociation")

    @admin.action(description="Revenir au stade de projet")
    def revenir_en_projet(self, request, queryset):
        self._changer(request, queryset, ConventionTerritoriale.Statut.PROJET, "revenue(s) au stade de projet")

    @admin.action(description="Déclarer signée aujourd'hui (signataires renseignés)")
    def declarer_signee(self, request, queryset):
        self._changer(request, queryset, ConventionTerritoriale.Statut.SIGNEE, "déclarée(s) signée(s)")


@admin.register(EcheanceConventionnement)
class EcheanceConventionnementAdmin(admin.ModelAdmin):
    list_display = ["date", "type", "libelle", "actif"]


@admin.register(AlerteConvention)
class AlerteConventionAdmin(admin.ModelAdmin):
    list_display = ["convention", "seuil", "envoyee_le"]
    raw_id_fields = ["convention"]


@admin.register(PieceConvention)
class PieceConventionAdmin(admin.ModelAdmin):
    """The file comes only from the convention's page, through the one checker (services.piece_ajouter)."""

    list_display = ["nom_original", "convention", "taille", "ajoutee_le"]
    raw_id_fields = ["convention", "ajoutee_par"]
    readonly_fields = ["document", "taille", "sha256"]

    def has_add_permission(self, request):
        return False


@admin.register(RevueDeProjets)
class RevueDeProjetsAdmin(admin.ModelAdmin):
    list_display = ["date", "lieu", "statut", "rappel_envoye_le"]
    list_filter = ["statut"]
    filter_horizontal = ["epcis", "participants_internes"]
    raw_id_fields = ["creee_par"]
