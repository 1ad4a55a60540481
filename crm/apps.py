from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = "CRM"

    def ready(self) -> None:
        # Registers the CRM's own timeline sources (interactions, requests); other apps add theirs
        # with crm.timeline.source_enregistrer() in their own ready().
        from . import selectors  # noqa: F401
