from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save


def creer_referentiels(**kwargs) -> None:
    """Create the role groups and the directions. Runs after every migrate and after a flush
    (as Django does for permissions), so they exist on every database, the tests' included."""
    # Imported here: apps.py loads before the app registry, models cannot be imported at the top.
    from django.contrib.auth.models import Group

    from .models import Direction
    from .roles import DIRECTIONS, NOMS_PROVISOIRES, Role

    for role in Role:
        Group.objects.get_or_create(name=role.value)
    for code, nom in DIRECTIONS:
        direction, creee = Direction.objects.get_or_create(code=code, defaults={"nom": nom})
        if not creee and direction.nom != nom and (direction.nom == code or direction.nom in NOMS_PROVISOIRES):
            # Created when the name was the bare code: give it its name (a name edited in the admin stays).
            Direction.objects.filter(pk=direction.pk).update(nom=nom)


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portail"

    def ready(self) -> None:
        post_migrate.connect(creer_referentiels, sender=self)
        from django.apps import apps

        from . import limites, middleware  # noqa: F401  (connect their login signals)
        from .cache import catalogue_modifie, saf_modifie

        for modele in ("ConventionAide", "EtapeConvention", "Demande"):
            for nom, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(saf_modifie, sender=apps.get_model("aides", modele), dispatch_uid=f"saf-{modele}-{nom}")
        dispositif = apps.get_model("aides", "Dispositif")
        post_save.connect(catalogue_modifie, sender=dispositif, dispatch_uid="cache-catalogue-save")
        post_delete.connect(catalogue_modifie, sender=dispositif, dispatch_uid="cache-catalogue-delete")
        for champ in ("departements", "epcis", "conventions_territoriales"):
            m2m_changed.connect(
                catalogue_modifie,
                sender=getattr(dispositif, champ).through,
                dispatch_uid=f"cache-catalogue-{champ}",
            )
