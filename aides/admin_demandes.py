"""Admin of company accounts and applications (imported by AidesConfig.ready(): aides/admin.py
belongs to the catalogue). Staff check here the accounts whose company was created at sign-up."""

from django.contrib import admin, messages

from .models import DeclarationDeMinimis, Demande, Representant, Transition


@admin.register(Representant)
class RepresentantAdmin(admin.ModelAdmin):
    list_display = ["utilisateur", "entreprise", "etablissement", "a_verifier", "email_verifie_le", "cree_le"]
    list_filter = ["a_verifier"]
    search_fields = ["utilisateur__email", "entreprise__siren", "entreprise__denomination", "etablissement__siret"]
    raw_id_fields = ["utilisateur", "entreprise", "etablissement"]
    actions = ["marquer_verifie"]

    @admin.action(description="Marquer le rattachement comme vérifié")
    def marquer_verifie(self, request, queryset):
        nombre = queryset.filter(a_verifier=True).update(a_verifier=False)
        self.message_user(request, f"{nombre} rattachement(s) marqué(s) comme vérifié(s).", messages.SUCCESS)


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
