import copy

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from aides.catalogue.models.alerte import Alerte
from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.models.indicateur import TypeIndicateur
from aides.catalogue.services import dispositif as services
from aides.catalogue.services.dispositif import slug_unique


class DispositifAdminForm(forms.ModelForm):
    """The admin applies the services' rules: an archived dispositif is frozen, a published one stays
    complete, bounds stay in order. Status changes are the admin actions, which call the services."""

    class Meta:
        model = Dispositif
        fields = "__all__"  # noqa: DJ007  (the admin picks the fields: its own, less the read-only ones)

    def clean(self):
        donnees = super().clean()
        actuel = self.instance
        if actuel.pk:
            futur = copy.copy(actuel)
            for nom, valeur in donnees.items():
                if nom in services.CHAMPS_MODIFIABLES:
                    setattr(futur, nom, valeur)
            services.verifier_modifiable(
                futur,
                nb_departements=len(donnees.get("departements") or []),
                nb_epcis=len(donnees.get("epcis") or []),
            )
        return donnees


@admin.register(Dispositif)
class DispositifAdmin(SimpleHistoryAdmin):
    """For administrators; staff edit the catalogue at /agents/aides/, where the publication rules apply.

    The status is read-only here: publishing, withdrawing and archiving are the actions below, which
    go through the same services as the staff pages (and refuse what they refuse).
    """

    form = DispositifAdminForm
    list_display = ["nom", "statut", "direction", "operateur", "date_ouverture", "date_cloture", "demo"]
    list_filter = ["statut", "direction", "operateur", "demo"]
    search_fields = ["nom", "slug"]
    readonly_fields = ["slug", "statut", "publie_le", "cree_le", "modifie_le"]
    filter_horizontal = ["departements", "epcis"]
    list_select_related = ["direction"]
    actions = ["publier", "remettre_en_brouillon", "archiver"]

    def save_model(self, request, obj, form, change):
        # The slug is read-only here: give a new dispositif the same address the services would.
        if not obj.slug:
            obj.slug = slug_unique(obj.nom)
        super().save_model(request, obj, form, change)

    def _appliquer(self, request, queryset, service, succes: str) -> None:
        faits = 0
        for dispositif in queryset:
            try:
                service(dispositif=dispositif, par=request.user)
            except ValidationError as erreur:
                self.message_user(request, f"{dispositif.nom} : {' '.join(erreur.messages)}", messages.ERROR)
            else:
                faits += 1
        if faits:
            self.message_user(request, f"{faits} dispositif(s) {succes}.", messages.SUCCESS)

    @admin.action(description="Publier les dispositifs sélectionnés (s'ils sont complets)")
    def publier(self, request, queryset):
        self._appliquer(request, queryset, services.dispositif_publier, "publié(s)")

    @admin.action(description="Remettre en brouillon les dispositifs sélectionnés")
    def remettre_en_brouillon(self, request, queryset):
        self._appliquer(request, queryset, services.dispositif_depublier, "remis en brouillon")

    @admin.action(description="Archiver les dispositifs sélectionnés")
    def archiver(self, request, queryset):
        self._appliquer(request, queryset, services.dispositif_archiver, "archivé(s)")


@admin.register(Alerte)
class AlerteAdmin(admin.ModelAdmin):
    """Read-only: alerts are made, confirmed and deleted by their owner's signed links
    (aides.catalogue.services.alertes)."""

    list_display = ["email", "requete", "frequence", "cree_le", "confirmee_le", "dernier_envoi_le"]
    list_filter = ["frequence"]
    search_fields = ["email"]
    readonly_fields = [f.name for f in Alerte._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TypeIndicateur)
class TypeIndicateurAdmin(admin.ModelAdmin):
    """Reference data of pilotage: the impact indicators a dispositif may track."""

    list_display = ["libelle", "unite", "code", "ordre"]
    prepopulated_fields = {"code": ["libelle"]}
