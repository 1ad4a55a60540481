"""Demo payment requests in every state, a final report, a repayment schedule with a late
instalment (issue 17). Labelled demo; idempotent; called at the end of aides/demo.py. Rows are
written directly (as the other demo builders do) except payments, which go through the service so
the ceiling holds."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aides.conventions.models.convention import ConventionAide, Etape
from aides.conventions.models.paiement import (
    DemandeVersement,
    DepenseJustifiee,
    EchangeVersement,
    EcheanceRemboursement,
    IndicateurRealiseI17,
    RapportFinal,
)
from aides.conventions.services.convention import versement_avancer, versement_creer
from aides.conventions.services.paiement import echeances_calculer, periode_convention, tranches
from aides.conventions.services.paiement.rapports import GENRE_PREUVE_RAPPORT
from portal.documents import document_deposer
from portal.verification import fichier_verifier

# A 1×1 PNG stands for the photo of the plaque.
PNG_DEMO = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def charger(stdout) -> None:
    if DemandeVersement.objects.filter(demo=True).exists():
        stdout.write(
            f"  demandes de versement de démonstration : {DemandeVersement.objects.filter(demo=True).count()} (déjà là)"
        )
        return
    conventions = list(
        ConventionAide.objects.filter(demo=True, etape__in=[Etape.NOTIFIEE, Etape.EN_EXECUTION], total_versements=0)
        .select_related("demande__demandeur")
        .order_by("pk")[:6]
    )
    if not conventions:
        stdout.write("  demandes de versement de démonstration : aucune convention en exécution, rien à faire")
        return
    maintenant = timezone.now()
    etats = [
        DemandeVersement.Etat.BROUILLON,
        DemandeVersement.Etat.DEPOSEE,
        DemandeVersement.Etat.COMPLEMENT,
        DemandeVersement.Etat.ACCEPTEE,
        DemandeVersement.Etat.REFUSEE,
        DemandeVersement.Etat.DEPOSEE,
    ]
    for rang, (convention, etat) in enumerate(zip(conventions, etats, strict=False)):
        plan = tranches(convention)
        if len(plan) < 2:
            continue
        demandeur = convention.demande.demandeur
        tranche = plan[1]
        prevue = convention.demande.lignes.first()
        demande = DemandeVersement.objects.create(
            convention=convention,
            tranche=1,
            type=tranche.type,
            etat=DemandeVersement.Etat.DEPOSEE if etat == DemandeVersement.Etat.ACCEPTEE else etat,
            demandeur=demandeur,
            certifie=etat != DemandeVersement.Etat.BROUILLON,
            certifie_par=demandeur if etat != DemandeVersement.Etat.BROUILLON else None,
            depose_le=None if etat == DemandeVersement.Etat.BROUILLON else maintenant - timedelta(days=20 - 3 * rang),
            commentaire="Démonstration.",
            demo=True,
        )
        debut, _fin = periode_convention(convention)
        montants = [Decimal("4000"), Decimal("2500"), Decimal("1200")]
        for i, montant in enumerate(montants):
            DepenseJustifiee.objects.create(
                demande_versement=demande,
                fournisseur=f"Fournisseur démo {i + 1}",
                numero_facture=f"DEMO-{convention.pk}-{i + 1}",
                date_facture=debut + timedelta(days=10 * (i + 1)),
                montant_ht=montant,
                montant_ttc=montant * Decimal("1.2"),
                ligne_depense=prevue,
                retenue=not (etat == DemandeVersement.Etat.ACCEPTEE and i == 1),
                motif_rejet="Facture non acquittée (démo)."
                if etat == DemandeVersement.Etat.ACCEPTEE and i == 1
                else "",
                ordre=i,
            )
        montant = min(sum(montants) / 2, tranche.plafond).quantize(Decimal("0.01"))
        if etat != DemandeVersement.Etat.BROUILLON:
            demande.montant_demande = montant
            demande.depenses_declarees = sum(montants)
        if etat == DemandeVersement.Etat.COMPLEMENT:
            EchangeVersement.objects.create(
                demande_versement=demande,
                sens=EchangeVersement.Sens.SAF,
                auteur=convention.gestionnaire or demandeur,
                texte="La facture DEMO n° 2 est illisible : merci de la joindre à nouveau (démo).",
            )
            demande.motif = "Facture illisible (démo)."
        if etat == DemandeVersement.Etat.REFUSEE:
            demande.motif = "Dépenses hors de l'objet de la convention (démo)."
            demande.decide_le = maintenant
        if etat == DemandeVersement.Etat.ACCEPTEE and convention.gestionnaire:
            retenu = ((montants[0] + montants[2]) / 2).quantize(Decimal("0.01"))
            versement = versement_creer(
                convention_id=convention.pk,
                par=convention.gestionnaire,
                type=tranche.type,
                montant=retenu,
                commentaire="Démonstration.",
            )
            versement_avancer(versement_id=versement.pk, par=convention.gestionnaire)
            demande.versement = versement
            demande.etat = etat
            demande.montant_retenu = retenu
            demande.depenses_retenues = montants[0] + montants[2]
            demande.decide_le = maintenant
            demande.decide_par = convention.gestionnaire
        demande.save()
    # A final report filed, another validated.
    for convention, etat in zip(conventions[:2], [RapportFinal.Etat.DEPOSE, RapportFinal.Etat.VALIDE], strict=False):
        rapport = RapportFinal(
            convention=convention,
            etat=etat,
            bilan="Investissement réalisé, deux emplois créés (démo).",
            preuve=document_deposer(
                fichier_verifier(SimpleUploadedFile("plaque-demo.png", PNG_DEMO)),
                genre=GENRE_PREUVE_RAPPORT,
                par=convention.demande.demandeur,
            ),
            preuve_nom="plaque-demo.png",
            depose_le=maintenant - timedelta(days=5),
            depose_par=convention.demande.demandeur,
            valide_le=maintenant if etat == RapportFinal.Etat.VALIDE else None,
            demo=True,
        )
        rapport.save()
        IndicateurRealiseI17.objects.create(rapport=rapport, libelle="Emplois créés", valeur=Decimal("2"), unite="ETP")
        IndicateurRealiseI17.objects.create(
            rapport=rapport, libelle="Investissement réalisé", valeur=Decimal("42000"), unite="€", ordre=1
        )
    # A repayment schedule: one paid, one late, one due soon, the rest to come.
    remboursable = (
        ConventionAide.objects.filter(demo=True, nature__in=["avance-remboursable", "pret"]).order_by("pk").first()
    )
    if remboursable and not remboursable.remboursements.exists():
        aujourd_hui = timezone.localdate()
        lignes = echeances_calculer(
            montant=remboursable.montant,
            debut=aujourd_hui - timedelta(days=300),
            differe_mois=3,
            nombre=8,
            periodicite_mois=2,
        )
        for i, (jour, montant) in enumerate(lignes, start=1):
            paye = i == 1
            EcheanceRemboursement.objects.create(
                convention=remboursable,
                numero=i,
                date_echeance=jour,
                montant=montant,
                paye_le=jour if paye else None,
                montant_paye=montant if paye else Decimal("0"),
                source="import" if paye else "",
                demo=True,
            )
    stdout.write(
        f"  demandes de versement de démonstration : {DemandeVersement.objects.filter(demo=True).count()}, "
        f"rapports finaux : {RapportFinal.objects.filter(demo=True).count()}, "
        f"échéances de remboursement : {EcheanceRemboursement.objects.filter(demo=True).count()}"
    )
