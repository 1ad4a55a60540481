from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice

from .double_facteur import second_facteur_reinitialiser
from .models import Direction, Document, EnvoiPeriodique, Notification, TelechargementAgent, Travail, User
from .roles import Role

# Nobody reads or copies a person's TOTP secret, administrators included: the admin only resets it
# (action on the users below), and the person enrols again at the next login.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "direction", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "groups", "direction"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name", "fonction", "telephone", "direction"]}),
        ("Droits", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    actions = ["reinitialiser_second_facteur"]

    @admin.action(description="Réinitialiser le second facteur (nouvelle association à la prochaine connexion)")
    def reinitialiser_second_facteur(self, request, queryset):
        nombre = 0
        for user in queryset:
            try:
                second_facteur_reinitialiser(user=user, par=request.user)
            except ValidationError as erreur:
                self.message_user(request, " ".join(erreur.messages), messages.ERROR)
                return
            self.log_change(request, user, "Second facteur réinitialisé.")
            nombre += 1
        self.message_user(
            request,
            f"Second facteur réinitialisé pour {nombre} compte(s) : chacun associera de nouveau son application "
            "à sa prochaine connexion.",
            messages.SUCCESS,
        )


@admin.register(Direction)
class DirectionAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "email_partage"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["sujet", "destinataire", "statut", "cree_le", "envoyee_le", "tentatives", "derniere_erreur"]
    actions = ["renvoyer"]
    list_filter = ["statut", "gabarit"]
    search_fields = ["destinataire", "sujet"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    @admin.action(description="Renvoyer les notifications en échec sélectionnées")
    def renvoyer(self, request, queryset):
        nombre = queryset.filter(statut=Notification.Statut.ECHEC).update(
            statut=Notification.Statut.EN_ATTENTE, tentatives=0, prise_le=None
        )
        self.message_user(request, f"{nombre} notification(s) remise(s) en file : le prochain balayage les envoie.")


@admin.register(TelechargementAgent)
class TelechargementAgentAdmin(admin.ModelAdmin):
    """Read-only: who downloaded which company document, when (administrators only)."""

    list_display = ["le", "agent", "objet", "nom_fichier", "entreprise", "adresse"]
    list_filter = ["objet"]
    search_fields = ["agent__email", "entreprise", "nom_fichier"]
    date_hierarchy = "le"
    readonly_fields = [f.name for f in TelechargementAgent._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and (request.user.is_superuser or request.user.a_role(Role.ADMINISTRATEUR))


@admin.register(Travail)
class TravailAdmin(admin.ModelAdmin):
    """Background jobs: read only; « Remettre en file » gives a failed one back to the sweep."""

    list_display = ["tache", "statut", "file", "cree_le", "prise_le", "fini_le", "tentatives", "derniere_erreur"]
    list_filter = ["statut", "file", "tache"]
    readonly_fields = [f.name for f in Travail._meta.fields]
    actions = ["remettre_en_file"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Remettre en file les travaux en échec sélectionnés")
    def remettre_en_file(self, request, queryset):
        nombre = queryset.filter(statut=Travail.Statut.ECHEC).update(
            statut=Travail.Statut.EN_ATTENTE, tentatives=0, prise_le=None
        )
        self.message_user(request, f"{nombre} travail(aux) remis en file : le prochain balayage les relance.")


@admin.register(EnvoiPeriodique)
class EnvoiPeriodiqueAdmin(admin.ModelAdmin):
    list_display = ["cle", "periode", "cree_le"]
    list_filter = ["cle"]
    readonly_fields = ["cle", "periode", "cree_le"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Stored and generated documents: read only (their state changes only through portal.documents;
    a failed one is retried by giving its Travail back to the sweep)."""

    list_display = ["pk", "genre", "statut", "cree_le", "pret_le", "taille"]
    list_filter = ["genre", "statut"]
    readonly_fields = [f.name for f in Document._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
