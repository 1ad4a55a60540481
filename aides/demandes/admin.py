"""Admin of company accounts and applications (imported by AidesConfig.ready(): aides/catalogue/admin.py
belongs to the catalogue). Company accounts are read-only here."""

from django.contrib import admin

from aides.demandes.models.avis import AvisExpert
from aides.demandes.models.demande import DeclarationDeMinimis, Demande, Transition
from aides.demandes.models.espace import Invitation, Membre


@admin.register(Membre)
class MembreAdmin(admin.ModelAdmin):
    """Read-only: attachments are verified in /agents/rattachements/ or by the company's
    administrators, through the services that check who may decide and email the requester."""

    list_display = ["utilisateur", "entreprise", "role", "statut", "capacite", "email_verifie_le", "cree_le"]
    list_filter = ["statut", "role", "capacite"]
    search_fields = ["utilisateur__email", "entreprise__siren", "entreprise__denomination", "etablissement__siret"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "entreprise", "role", "invite_par", "expire_le", "utilisee_le", "annulee_le"]
    exclude = ["jeton_sha256"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TransitionEnLigne(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    readonly_fields = ["de", "vers", "par", "le", "motif", "public"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Demande)
class DemandeAdmin(admin.ModelAdmin):
    """Read-only: applications change only through the instruction, which records the history."""

    list_display = ["__str__", "dispositif", "etablissement", "statut", "depose_le", "instructeur"]
    list_filter = ["statut", "dispositif__direction"]
    search_fields = ["numero_depot", "etablissement__siret", "etablissement__entreprise__denomination"]
    inlines = [TransitionEnLigne]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DeclarationDeMinimis)
class DeclarationDeMinimisAdmin(admin.ModelAdmin):
    list_display = ["entreprise", "organisme", "date_octroi", "montant"]
    search_fields = ["entreprise__siren", "entreprise__denomination", "organisme"]
    raw_id_fields = ["entreprise", "demande"]


@admin.register(AvisExpert)
class AvisExpertAdmin(admin.ModelAdmin):
    """Read-only: opinions are asked and given through aides.demandes.services.avis."""

    list_display = ["demande", "expert", "rendre_avant", "rendu_le"]
    list_select_related = ["demande", "expert"]
    search_fields = ["demande__numero_depot", "expert__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
