"""Admin: reading only. Forms are built and published in /agents/formulaires/ (the services), so the
admin can neither edit a published version nor go around publishing."""

from django.contrib import admin

from .models import Formulaire, Version


class LectureSeuleMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VersionInline(LectureSeuleMixin, admin.TabularInline):
    model = Version
    fields = ["numero", "publiee_le", "publiee_par"]
    readonly_fields = fields
    extra = 0


@admin.register(Formulaire)
class FormulaireAdmin(LectureSeuleMixin, admin.ModelAdmin):
    list_display = ["nom", "code", "modifie_le", "demo"]
    inlines = [VersionInline]


@admin.register(Version)
class VersionAdmin(LectureSeuleMixin, admin.ModelAdmin):
    list_display = ["formulaire", "numero", "publiee_le"]
    readonly_fields = ["formulaire", "numero", "schema", "publiee_le", "publiee_par"]
