from django.apps import AppConfig
from django.db.models.signals import post_migrate


def creer_referentiels(**kwargs) -> None:
    """Create the role groups and the directions. Runs after every migrate and after a flush
    (as Django does for permissions), so they exist on every database, the tests' included."""
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
        from . import limites, middleware  # noqa: F401  (connect their login signals)
