"""Reads of the partner and EPCI spaces, each scoped to the member's structure or territory."""

from django.db.models import Count, Exists, OuterRef, Q, Sum

from aides.demandes.models.demande import Statut as StatutDemande
from aides.models import Demande, Dispositif
from crm.models import Sollicitation, Tache
from territoires.models import EPCI, ConventionTerritoriale

from .models import AccordDiffusion, Adhesion, Orientation, Prescription, Ressource


def orientations_structure(adhesion: Adhesion):
    return (
        Orientation.objects.pour_structure(adhesion.structure_id)
        .select_related("sollicitation__commune", "prise_par")
        .order_by("-cree_le")
    )


def prescriptions_structure(adhesion: Adhesion):
    return Prescription.objects.filter(structure_id=adhesion.structure_id).select_related(
        "sollicitation__commune", "prescripteur"
    )


def dispositifs_couvrant_epci(epci: EPCI):
    """The same coverage rule as the catalogue: region-wide, the EPCI's départements, or the EPCI."""
    departements = Dispositif.departements.through.objects.filter(
        dispositif_id=OuterRef("pk"), departement_id__in=epci.departements.values("pk")
    )
    epcis = Dispositif.epcis.through.objects.filter(dispositif_id=OuterRef("pk"), epci_id=epci.pk)
    return Dispositif.objects.publies().filter(Q(couvre_region=True) | Exists(departements) | Exists(epcis))


def conventions_epci(epci: EPCI):
    return (
        ConventionTerritoriale.objects.avec_etat()
        .filter(epci=epci)
        .annotate(total_region=Sum("engagements__montant_region"), total_epci=Sum("engagements__montant_epci"))
    )


def taches_membres_epci(epci: EPCI):
    return Tache.objects.ouvertes().filter(assignee__partenariat__epci=epci).select_related("assignee")


def entreprises_aidees(epci: EPCI) -> dict:
    """Aids granted to establishments of the territory: totals, and names only where agreed."""
    accordees = Demande.objects.filter(statut=StatutDemande.ACCORDEE, etablissement__commune__epci=epci)
    totaux = accordees.aggregate(
        nombre=Count("etablissement__entreprise", distinct=True), montant=Sum("montant_accorde")
    )
    accords = AccordDiffusion.objects.en_vigueur(AccordDiffusion.Portee.PARTENAIRES).filter(
        entreprise_id=OuterRef("etablissement__entreprise_id")
    )
    noms = (
        accordees.filter(Exists(accords))
        .values_list("etablissement__entreprise__denomination", flat=True)
        .distinct()
        .order_by("etablissement__entreprise__denomination")
    )
    return {**totaux, "noms": list(noms[:50])}


def sollicitations_epci(epci: EPCI):
    return Sollicitation.objects.filter(commune__epci=epci).select_related("commune").order_by("-cree_le")


def ressources():
    return Ressource.objects.annotate(nombre_inscrits=Count("inscriptions"))
