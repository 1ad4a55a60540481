"""Demo conventions in every step of the circuit, some stalled, some FEDER co-financed; and the bulk
builder shared by the tests and the 50,000-convention benchmark. Idempotent; called at the end of
aides/demo.py."""

import random
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.referentiels import Nature
from aides.conventions.models.convention import CIRCUIT, ConventionAide, Etape, EtapeConvention
from aides.conventions.models.feder import AppelDeFonds, ObjectifSpecifique, OperationFeder, PreuvePublicite
from aides.conventions.pdf import convention_pdf_generer
from aides.conventions.services.convention import ECHEANCIER_PAR_DEFAUT, convention_clore, numero_convention_attribuer
from aides.demandes.demo import _membre_demo
from aides.demandes.models.demande import Demande, Statut
from crm.models import Etablissement
from portal.cache import generation_suivante
from portal.models import User
from portal.roles import Role


def conventions_en_masse(
    n: int,
    *,
    etablissements,
    dispositifs,
    demandeur,
    maintenant=None,
    graine: int = 1,
    demo: bool = False,
    numeroter: bool = False,
) -> list[ConventionAide]:
    """n granted applications and their conventions spread over the circuit, each with a dated
    step history (bulk inserts: for list tests and the 50,000-row benchmark)."""

    hasard = random.Random(graine)
    maintenant = maintenant or timezone.now()
    prefixe = f"{hasard.randrange(10**6):06d}"
    demandes = []
    for i in range(n):
        montant = Decimal(hasard.choice([5000, 15000, 24000, 40000, 80000, 150000]))
        demandes.append(
            Demande(
                etablissement=hasard.choice(etablissements),
                dispositif=hasard.choice(dispositifs),
                demandeur=demandeur,
                intitule=f"Projet {i}",
                montant_demande=montant,
                montant_accorde=montant,
                statut=Statut.ACCORDEE,
                numero_depot=f"M{prefixe}{i:07d}"[:20],
                depose_le=maintenant - timedelta(days=400),
                decidee_le=maintenant - timedelta(days=300),
                demo=demo,
            )
        )
    demandes = Demande.objects.bulk_create(demandes, batch_size=2000)
    conventions, chemins = [], []
    annee = timezone.localdate(maintenant).year
    for i, demande in enumerate(demandes):
        # Every step of the circuit is represented (cyclically), in random proportions otherwise.
        rang = i % len(CIRCUIT) if demo else hasard.randrange(len(CIRCUIT))
        # Days spent in each step passed: mostly a few days, some long waits.
        durees = [timedelta(days=hasard.choice([1, 2, 3, 5, 8, 13, 21, 40])) for _ in range(rang + 1)]
        debut = maintenant - sum(durees, timedelta())
        moments = [debut]
        for d in durees[:-1]:
            moments.append(moments[-1] + d)
        dispositif = next(d for d in dispositifs if d.pk == demande.dispositif_id)
        conventions.append(
            ConventionAide(
                numero=numero_convention_attribuer(
                    annee=annee, direction_id=dispositif.direction_id, code_direction=dispositif.direction.code
                )
                if numeroter
                else f"{annee}-M{prefixe}-{i:06d}",
                annee=annee,
                direction_id=dispositif.direction_id,
                demande=demande,
                dispositif=dispositif,
                etablissement_id=demande.etablissement_id,
                objet=demande.intitule,
                nature=dispositif.nature,
                montant=demande.montant_accorde,
                part_region=demande.montant_accorde,
                echeancier=ECHEANCIER_PAR_DEFAUT,
                date_decision=timezone.localdate(demande.decidee_le),
                date_caducite=timezone.localdate(demande.decidee_le) + timedelta(days=365),
                reference_decision=f"CP-{timezone.localdate(demande.decidee_le):%Y%m%d}",
                etape=CIRCUIT[rang],
                etape_depuis=moments[-1],
                cree_le=moments[0],
                demo=demo,
            )
        )
        chemins.append((CIRCUIT[: rang + 1], moments))
    conventions = ConventionAide.objects.bulk_create(conventions, batch_size=2000)
    etapes = []
    for convention, (chemin, moments) in zip(conventions, chemins, strict=True):
        precedent = None
        for etape, moment in zip(chemin, moments, strict=True):
            etapes.append(
                EtapeConvention(
                    convention=convention,
                    de=precedent[0] if precedent else "",
                    vers=etape,
                    le=moment,
                    duree_de=(moment - precedent[1]) if precedent else None,
                    direction_id=convention.direction_id,
                    dispositif_id=convention.dispositif_id,
                )
            )
            precedent = (etape, moment)
    EtapeConvention.objects.bulk_create(etapes, batch_size=5000)
    generation_suivante("saf")  # bulk_create sends no post_save: the dashboard's cached figures are stale
    return conventions


def charger(stdout) -> None:
    if ConventionAide.objects.filter(demo=True).exists():
        stdout.write(f"  conventions de démonstration : {ConventionAide.objects.filter(demo=True).count()} (déjà là)")
        return

    representant = _membre_demo()
    dispositifs = list(
        Dispositif.objects.filter(
            demo=True, nature__in=[Nature.SUBVENTION, Nature.AVANCE_REMBOURSABLE, Nature.PRET]
        ).select_related("direction")[:8]
    )
    if not dispositifs:
        stdout.write("  conventions de démonstration : aucun dispositif de démonstration, rien à faire")
        return
    etablissements = list(Etablissement.objects.filter(demo=True).exclude(pk=representant.etablissement_id)[:15])
    maintenant = timezone.now()
    autres = conventions_en_masse(
        32,
        etablissements=etablissements or [representant.etablissement],
        dispositifs=dispositifs,
        demandeur=representant.utilisateur,
        demo=True,
        numeroter=True,
        graine=2026,
        maintenant=maintenant,
    )
    siennes = conventions_en_masse(
        8,
        etablissements=[representant.etablissement],
        dispositifs=dispositifs,
        demandeur=representant.utilisateur,
        demo=True,
        numeroter=True,
        graine=80,
        maintenant=maintenant,
    )
    saf = User.objects.agents().filter(groups__name=Role.GESTIONNAIRE_SAF.value).first()
    if saf:
        ConventionAide.objects.filter(demo=True).update(gestionnaire=saf)
    # Two closed ones: one lapsed before signature, one terminated during execution.
    par = saf or representant.utilisateur
    envoyee = next((c for c in autres if c.etape == Etape.ENVOYEE), None)
    if envoyee:
        convention_clore(convention_id=envoyee.pk, par=par, vers=Etape.CADUQUE, motif="Non retournée signée (démo).")
    execution = next((c for c in autres if c.etape == Etape.EN_EXECUTION), None)
    if execution:
        convention_clore(convention_id=execution.pk, par=par, vers=Etape.RESILIEE, motif="Cessation d'activité (démo).")
    # FEDER co-finances four of them: 40 % of the amount, with claims and publicity proofs.
    hasard = random.Random(5)
    for rang, convention in enumerate([c for c in autres if c.etape not in (Etape.A_EDITER,)][:4]):
        part_feder = (convention.montant * Decimal("0.4")).quantize(Decimal("0.01"))
        ConventionAide.objects.filter(pk=convention.pk).update(
            part_feder=part_feder, part_region=convention.montant - part_feder
        )
        cout = convention.montant * 2 if rang else Decimal("1200000")
        operation = OperationFeder.objects.create(
            convention=convention,
            code_operation=f"HF0{rang + 1:04d} (démo)",
            objectif_specifique=hasard.choice([ObjectifSpecifique.OS_1_3, ObjectifSpecifique.OS_1_2]),
            taux_ue=Decimal("40"),
            cout_total_eligible=cout,
            montant_ue=min(part_feder, cout),
            infrastructure=rang == 0,
            demo=True,
        )
        if rang % 2:
            PreuvePublicite.objects.create(operation=operation, type=PreuvePublicite.Type.AFFICHE, description="démo")
            PreuvePublicite.objects.create(operation=operation, type=PreuvePublicite.Type.SITE_WEB, description="démo")
            AppelDeFonds.objects.create(
                operation=operation,
                numero=1,
                depenses_declarees=cout / 2,
                montant_ue=min(part_feder, cout) / 2,
                etat=AppelDeFonds.Etat.PAYE,
                paye_le=timezone.localdate() - timedelta(days=30),
            )
    # The demo company's conventions get their PDF (it can read and sign the one « envoyée »).
    for convention in siennes:
        if convention.etape != Etape.A_EDITER:
            convention_pdf_generer(convention_id=convention.pk)
    total = ConventionAide.objects.filter(demo=True).count()

    bloquees = ConventionAide.objects.filter(demo=True).bloquees(settings.SAF_JOURS_BLOCAGE).count()
    stdout.write(f"  conventions de démonstration : {total} (dont {bloquees} bloquées, 4 cofinancées par le FEDER)")
