"""Applications in the CRM company timeline (registered in AidesConfig.ready())."""

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from aides.conventions.models.convention import ConventionAide, EtapeConvention
from aides.conventions.models.versement import Versement
from aides.demandes.models.demande import Demande, Statut
from crm.timeline import Evenement, Jalon, evenements_aller_retour
from portal.templatetags.portail import format_euros


def evenements_demandes(entreprise) -> list[Evenement]:
    """One event per deposit and one per decision; a single query."""
    return evenements_aller_retour(
        Demande.objects.deposees().filter(etablissement__entreprise=entreprise).select_related("dispositif__direction"),
        genre="demande",
        url=lambda demande: reverse("aides_instruction:demande", args=[demande.pk]),
        directions=lambda demande: [demande.dispositif.direction.code],
        depart=_depot,
        retour=_decision,
    )


def _depot(demande: Demande) -> Jalon:
    titre = f"{demande.numero_depot} – {demande.dispositif.nom} ({format_euros(demande.montant_demande)})"
    return Jalon(demande.depose_le, "Demande déposée", titre, resume=demande.intitule)


def _decision(demande: Demande) -> Jalon | None:
    if not (demande.est_decidee and demande.decidee_le):
        return None
    montant = f" : {format_euros(demande.montant_accorde)}" if demande.statut == Statut.ACCORDEE else ""
    return Jalon(
        demande.decidee_le,
        f"Décision : {demande.get_statut_display().lower()}",
        f"{demande.numero_depot} – {demande.dispositif.nom}{montant}",
        resume=demande.motif_decision,
    )


def evenements_conventions(entreprise) -> list[Evenement]:
    """The company's conventions (each dated step) and payments; two queries."""

    evenements = []
    etapes = (
        EtapeConvention.objects.filter(convention__etablissement__entreprise=entreprise)
        .select_related("convention__dispositif", "convention__direction")
        .order_by("le")
    )
    for etape in etapes:
        convention: ConventionAide = etape.convention
        evenements.append(
            Evenement(
                quand=etape.le,
                genre="convention",
                libelle=f"Convention : {etape.get_vers_display().lower()}",
                titre=f"{convention.numero} – {convention.dispositif.nom} ({format_euros(convention.montant)})",
                url=reverse("aides_saf:convention", args=[convention.pk]),
                directions=[convention.direction.code],
                resume=etape.motif,
                objet=convention,
            )
        )
    versements = Versement.objects.filter(convention__etablissement__entreprise=entreprise).select_related(
        "convention__direction"
    )
    for versement in versements:
        evenements.append(
            Evenement(
                quand=versement.paye_le or versement.demande_le,
                genre="versement",
                libelle=f"Versement {versement.get_etat_display().lower()}",
                titre=f"{versement.get_type_display()} de {format_euros(versement.montant)} – "
                f"convention {versement.convention.numero}",
                url=reverse("aides_saf:convention", args=[versement.convention_id]),
                directions=[versement.convention.direction.code],
                objet=versement,
            )
        )
    return evenements


def evenements_remboursements(entreprise) -> list[Evenement]:
    """Issue 17: one line per convention under repayment, with its outstanding balance (one query),
    dated today so it leads the timeline."""

    conventions = (
        ConventionAide.objects.filter(etablissement__entreprise=entreprise, remboursements__isnull=False)
        .select_related("direction")
        .annotate(
            du=Sum("remboursements__montant"),
            paye=Sum("remboursements__montant_paye"),
            impayees=Count(
                "remboursements",
                filter=Q(remboursements__paye_le__isnull=True, remboursements__date_echeance__lt=timezone.localdate()),
            ),
        )
    )
    return [
        Evenement(
            quand=timezone.now(),
            genre="versement",
            libelle="Encours de remboursement",
            titre=f"{format_euros(c.du - c.paye)} restant dus – convention {c.numero}"
            + (f" ({c.impayees} échéance(s) échue(s) impayée(s))" if c.impayees else ""),
            url=reverse("aides_saf:remboursements", args=[c.pk]),
            directions=[c.direction.code],
            objet=c,
        )
        for c in conventions
    ]
