from django.apps import AppConfig
from django.db.models.signals import post_migrate

# Who gets which permission of the conventions (granted after every migrate and flush).
PERMISSIONS_PAR_ROLE = {
    # The Région's signature is given by the elected executive's delegates: the pilotage role.
    "pilotage": ["signer_convention_region"],
    # The FEDER service keeps the operations' claims, controls and publicity proofs in the admin.
    "service_feder": [
        f"{action}_{modele}"
        for modele in ("operationfeder", "appeldefonds", "ligneetatdepenses", "controlefeder", "preuvepublicite")
        for action in ("view", "add", "change")
    ],
}


def accorder_permissions_conventions(app_config, **kwargs) -> None:
    # Imported here: apps.py loads before the app registry, models cannot be imported at the top.
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    create_permissions(app_config, verbosity=0)
    for role, codenames in PERMISSIONS_PAR_ROLE.items():
        groupe, _ = Group.objects.get_or_create(name=role)
        groupe.permissions.add(*Permission.objects.filter(content_type__app_label="aides", codename__in=codenames))


class AidesConfig(AppConfig):
    name = "aides"
    verbose_name = "Aides et conventions"

    def ready(self) -> None:
        from aides.extensions.timeline import evenements_conventions, evenements_demandes, evenements_remboursements
        from crm.timeline import source_enregistrer

        source_enregistrer(evenements_demandes)
        source_enregistrer(evenements_conventions)
        source_enregistrer(evenements_remboursements)

        from aides.extensions.accompagnement import accompagnements_aides
        from crm.services import accompagnement_source_enregistrer

        accompagnement_source_enregistrer(accompagnements_aides)

        from aides.extensions import sections

        sections.enregistrer()  # the applications' sections of the EPCI and review pages

        post_migrate.connect(accorder_permissions_conventions, sender=self)

        from aides.demandes.views.rattachements import bloc_tableau
        from portal.tableau import bloc_enregistrer

        bloc_enregistrer(bloc_tableau)

        from aides.conventions.views.espace import contexte_demande
        from aides.demandes.extensions import contexte_demande_enregistrer

        contexte_demande_enregistrer(contexte_demande)

        from aides.demandes import documents, lettres
        from aides.demandes.recepisse import GENRE_RECEPISSE, recepisse_lisible, recepisse_pdf, recepisse_url
        from portal.documents import genre_enregistrer

        genre_enregistrer(GENRE_RECEPISSE, generer=recepisse_pdf, lisible=recepisse_lisible, url_fichier=recepisse_url)
        genre_enregistrer(
            lettres.GENRE_LETTRE,
            generer=lettres.lettre_pdf,
            apres_stockage=lettres.lettre_prete,
            lisible=lettres.lettre_lisible,
            url_fichier=lettres.lettre_url,
        )
        documents.genres_enregistrer()  # the uploaded kinds: pieces, the safe, justificatifs, delegations

        from aides.conventions import documents as documents_conventions

        # The convention's PDF, the signed scans, the payment and publicity proofs.
        documents_conventions.genres_enregistrer()
