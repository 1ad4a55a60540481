"""A notified convention ready for payment requests (issue 17), and helpers to fill a request."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from aides.conventions.services import paiement as sp
from aides.conventions.tests.factories import convention_notifiee
from aides.demandes.models.espace import Membre
from aides.demandes.tests.factories import fichier_pdf
from portal.verification import fichier_verifier


def convention_a_payer(**options):
    """€20,000 on €40,000 of eligible expenses (rate 50 %), plan 30 / 40 / 30 %."""
    options.setdefault("montant", Decimal("20000"))
    options.setdefault("demande", {"lignes": [("Machine", Decimal("30000")), ("Logiciel", Decimal("10000"))]})
    convention = convention_notifiee(**options)
    membre = Membre.objects.get(
        utilisateur=convention.demande.demandeur, entreprise=convention.etablissement.entreprise
    )
    return convention, membre


def jour_de_facture(decalage: int = 40):
    """A day inside the convention's period (the factory's project starts in 30 days)."""
    return timezone.localdate() + timedelta(days=decalage)


def ligne(convention, n: int, montant_ht, *, nature: str = "Machine", **champs) -> dict:
    prevue = convention.demande.lignes.get(nature=nature)
    donnees = {
        "fournisseur": f"Fournisseur {n}",
        "numero_facture": f"F-{n:03d}",
        "date_facture": jour_de_facture(),
        "montant_ht": Decimal(montant_ht),
        "montant_ttc": Decimal(montant_ht) * Decimal("1.2"),
        "ligne_depense": prevue.pk,
    }
    donnees.update(champs)
    return donnees


def pdf(nom: str = "facture.pdf"):
    return fichier_verifier(fichier_pdf(nom))


def avance_deposee(convention, membre):
    demande = sp.demande_versement_creer(convention_id=convention.pk, tranche=0, par=membre.utilisateur, membre=membre)
    return sp.demande_versement_deposer(
        demande_versement_id=demande.pk, par=membre.utilisateur, membre=membre, certifie=True
    )


def acompte_depose(convention, membre, montants=("5000", "5000", "5000"), tranche: int = 1):
    demande = sp.demande_versement_creer(
        convention_id=convention.pk, tranche=tranche, par=membre.utilisateur, membre=membre
    )
    sp.demande_versement_enregistrer(
        demande_versement_id=demande.pk,
        par=membre.utilisateur,
        membre=membre,
        lignes=[ligne(convention, i + 1, m) for i, m in enumerate(montants)],
        pieces=[pdf(f"facture-{i + 1}.pdf") for i in range(len(montants))],
    )
    return sp.demande_versement_deposer(
        demande_versement_id=demande.pk, par=membre.utilisateur, membre=membre, certifie=True
    )


def rapport_depose(convention, membre):
    from aides.demandes.tests.factories import PDF_MINIMAL  # noqa: F401  (a PDF stands for the photo)

    sp.rapport_enregistrer(
        convention_id=convention.pk,
        par=membre.utilisateur,
        membre=membre,
        bilan="Machine installée, deux emplois créés.",
        indicateurs=[("Emplois créés", Decimal("2"), "ETP"), ("Investissement réalisé", Decimal("40000"), "€")],
        preuve=pdf("plaque.pdf"),
    )
    return sp.rapport_deposer(convention_id=convention.pk, par=membre.utilisateur, membre=membre)
