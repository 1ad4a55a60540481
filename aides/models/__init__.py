from .dispositif import CONFIG_RECHERCHE, Dispositif, DispositifQuerySet

__all__ = ["CONFIG_RECHERCHE", "Dispositif", "DispositifQuerySet"]
