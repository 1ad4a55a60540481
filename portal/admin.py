from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Direction, EnvoiPeriodique, Notification, User


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


@admin.register(EnvoiPeriodique)
class EnvoiPeriodiqueAdmin(admin.ModelAdmin):
    """Read-only: a row is written by the job that sent; deleting it lets the period be sent again."""

    list_display = ["cle", "periode", "reclame_le"]
    list_filter = ["cle"]
    readonly_fields = ["cle", "periode", "reclame_le"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
