"""The demo data of aides, in order: the catalogue, then applications on it, conventions on the
granted applications, alerts, payment requests. Every row is labelled demo (`demo=True`, names
ending with « (démo) »); each loader is idempotent."""

from aides.catalogue.demo import charger as charger_catalogue
from aides.conventions.demo import charger as charger_conventions
from aides.conventions.demo_paiement import charger as charger_paiements
from aides.demandes.demo import charger as charger_demandes
from aides.demandes.demo_alertes import charger as charger_alertes
from aides.demandes.demo_formulaires import charger as charger_formulaires
from aides.demandes.demo_messagerie import charger as charger_messagerie
from aides.extensions.accompagnement import accompagnements_remplir


def charger(stdout) -> None:
    charger_catalogue(stdout)
    # Demo applications in several states, on the catalogue above.
    charger_demandes(stdout)
    # Demo messages and an expert opinion on the application « en instruction » above (issue 20).
    charger_messagerie(stdout)
    # Demo conventions (signature circuit, payments, FEDER) on the granted applications above.
    charger_conventions(stdout)
    # Rows written in bulk bypass the services: count them in the CRM's « déjà accompagnée » at once.
    accompagnements_remplir()
    # Alerts and an aid imported from Aides-territoires.
    charger_alertes(stdout)
    # Demo payment requests, final reports, repayments (issue 17) on the conventions above.
    charger_paiements(stdout)
    # Application forms (issue 20): the default one, a demo dispositif's own form, a Kbis in the safe.
    charger_formulaires(stdout)
