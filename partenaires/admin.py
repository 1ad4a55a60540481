"""Reference data here (partner sites, training resources) is edited in the admin; memberships,
invitations, referrals and the companies' consents are written by the services only, so they are
read-only here."""

from django.contrib import admin

from .models import AccordDiffusion, Adhesion, Inscription, Invitation, Orientation, Ressource, SiteIntegration


class LectureSeuleAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Adhesion)
class AdhesionAdmin(LectureSeuleAdmin):
    list_display = ["utilisateur", "structure", "epci", "cree_le"]
    search_fields = ["utilisateur__email"]


@admin.register(Invitation)
class InvitationAdmin(LectureSeuleAdmin):
    list_display = ["email", "structure", "epci", "invite_par", "cree_le", "utilisee_le"]
    exclude = ["jeton"]


@admin.register(Orientation)
class OrientationAdmin(LectureSeuleAdmin):
    list_display = ["sollicitation", "structure", "statut", "cree_le", "repondue_le"]
    list_filter = ["statut"]


@admin.register(SiteIntegration)
class SiteIntegrationAdmin(admin.ModelAdmin):
    list_display = ["cle", "origine", "structure", "epci", "actif"]
    raw_id_fields = ["epci"]


@admin.register(Ressource)
class RessourceAdmin(admin.ModelAdmin):
    list_display = ["titre", "session_le", "places"]


@admin.register(Inscription)
class InscriptionAdmin(LectureSeuleAdmin):
    list_display = ["ressource", "utilisateur", "cree_le"]


@admin.register(AccordDiffusion)
class AccordDiffusionAdmin(LectureSeuleAdmin):
    """Given and withdrawn by the company itself (/espace/citer-l-entreprise/): staff only read it."""

    list_display = ["entreprise", "portee", "accorde_le", "accorde_par", "retire_le", "retire_par"]
    list_filter = ["portee", ("retire_le", admin.EmptyFieldListFilter)]
    search_fields = ["entreprise__siren", "entreprise__denomination"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
