"""What partenaires adds to territoires' staff pages (registered in PartenairesConfig.ready()): on a
convention's page, whether the EPCI signed it from its space, by whom and when."""

from territoires.extensions import PAGE_CONVENTION, Section, section_enregistrer
from territoires.models import ConventionTerritoriale

from .models import Adhesion


def section_convention_signature_epci(convention: ConventionTerritoriale, request) -> Section | None:
    """The EPCI's online signature, read from the convention's history (one query; one more while
    the EPCI has not signed a negotiated convention); nothing for a projet or a résiliée one."""
    Statut = ConventionTerritoriale.Statut
    if convention.statut not in (Statut.EN_NEGOCIATION, Statut.SIGNEE):
        return None
    signature = (
        convention.history.filter(history_user__partenariat__epci_id=convention.epci_id)
        .exclude(signataire_epci="")
        .select_related("history_user")
        .order_by("-history_date")
        .first()
    )
    membres = None
    if signature is None and convention.statut == Statut.EN_NEGOCIATION:
        membres = Adhesion.objects.filter(epci_id=convention.epci_id, utilisateur__is_active=True).count()
    return Section(
        "Signature de l'EPCI dans son espace",
        "partenaires/_section_convention_signature.html",
        {"convention": convention, "signature": signature, "membres": membres},
    )


def enregistrer() -> None:
    section_enregistrer(PAGE_CONVENTION, section_convention_signature_epci, ordre=20)
