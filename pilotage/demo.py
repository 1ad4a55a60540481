"""Demo data of pilotage: a year that looks real (several hundred applications over the last 12
months, decisions, conventions signed, payments, requests answered, surveys and their answers,
impact indicators, a small panel). Everything is labelled demo (`demo=True`, « (démo) » in names).
Bulk inserts: the demo stays fast. Idempotent. Runs after aides and crm (INSTALLED_APPS order)."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from stdnum import luhn

from aides.demandes.demo import EMAIL_INSTRUCTEUR_DEMO, _membre_demo
from aides.models import (
    ConventionAide,
    Demande,
    Dispositif,
    Etape,
    EtapeConvention,
    Statut,
    TypeIndicateur,
    ValeurIndicateur,
    Versement,
)
from crm.models import Entreprise, Etablissement, Sollicitation
from crm.referentiels import Besoin
from crm.services import noms_recherche_actualiser
from pilotage.agregats import agregats_rafraichir
from portal.cache import generation_suivante
from portal.models import Direction, User
from territoires.models import Commune

from .models import Enquete, MembrePanel, ReponseEnquete

PREFIXE = "DEMO16"
NOMBRE_DEMANDES = 420
NOMBRE_SOLLICITATIONS = 220


NAF_DEMO = ["10.71C", "25.62B", "62.01Z", "43.21A", "47.11B", "56.10A", "71.12B", "28.29B", "49.41A", "96.02A"]
TRANCHES_DEMO = ["00", "01", "02", "03", "11", "12", "21", "22"]


def _entreprises_demo(hasard: random.Random) -> list[Etablissement]:
    """120 demo companies spread over the five départements (the crm demo has a handful only)."""

    communes = []
    for code in ("02", "59", "60", "62", "80"):
        communes += list(Commune.objects.filter(departement_id=code).order_by("-population")[:12])
    if not communes:
        return []
    etablissements = []
    for i in range(120):
        base = f"916{i:05d}"
        siren = base + luhn.calc_check_digit(base)
        siret_base = siren + "00012"[:5]
        siret = siret_base[:13] + luhn.calc_check_digit(siret_base[:13])
        naf = hasard.choice(NAF_DEMO)
        entreprise, _ = Entreprise.objects.get_or_create(
            siren=siren,
            defaults={
                "denomination": f"Entreprise {i + 1} (démo)",
                "naf": naf,
                "tranche_effectifs": hasard.choice(TRANCHES_DEMO),
                "demo": True,
            },
        )
        etablissement, cree = Etablissement.objects.get_or_create(
            siret=siret,
            defaults={
                "entreprise": entreprise,
                "commune": hasard.choice(communes),
                "siege": True,
                "naf": naf,
                "demo": True,
            },
        )
        if cree:
            noms_recherche_actualiser(entreprise_id=entreprise.pk)
        etablissements.append(etablissement)
    return etablissements


def _avance(convention: ConventionAide) -> Decimal:
    return (convention.montant * Decimal("0.3")).quantize(Decimal("1"))


def charger(stdout) -> None:
    if Demande.objects.filter(numero_depot__startswith=PREFIXE).exists():
        stdout.write("  pilotage : année de démonstration déjà là")
        _agreger(stdout)
        return

    dispositifs = list(Dispositif.objects.filter(demo=True).publies().select_related("direction")[:24])
    hasard = random.Random(16)
    _entreprises_demo(hasard)
    etablissements = list(Etablissement.objects.filter(demo=True).select_related("commune")[:300])
    if not dispositifs or not etablissements:
        stdout.write("  pilotage : pas de dispositif ou d'établissement de démonstration, rien à faire")
        return
    maintenant = timezone.now()
    demandeur = _membre_demo().utilisateur
    instructeur = User.objects.filter(email=EMAIL_INSTRUCTEUR_DEMO).first()
    types = list(TypeIndicateur.objects.all())
    suivis = {d.pk: [t.pk for t in hasard.sample(types, k=min(2, len(types)))] for d in dispositifs}
    for dispositif in dispositifs:
        dispositif.indicateurs.set(suivis[dispositif.pk])

    demandes = []
    for i in range(NOMBRE_DEMANDES):
        dispositif = hasard.choice(dispositifs)
        age = hasard.randint(0, 364)
        depose = maintenant - timedelta(days=age, hours=hasard.randint(0, 10))
        montant = Decimal(hasard.choice([3000, 5000, 8000, 12000, 20000, 35000, 50000, 80000]))
        delai = hasard.choice([8, 12, 15, 20, 25, 30, 35, 45, 60, 90])
        statut, decide, accorde = Statut.EN_INSTRUCTION, None, None
        if age > delai:
            tirage = hasard.random()
            statut = Statut.ACCORDEE if tirage < 0.62 else Statut.REFUSEE if tirage < 0.85 else Statut.SANS_SUITE
            decide = depose + timedelta(days=delai)
            if statut == Statut.ACCORDEE:
                accorde = (montant * Decimal(hasard.choice(["1", "1", "0.8", "0.6"]))).quantize(Decimal("1"))
        elif age < 5:
            statut = Statut.DEPOSEE
        demandes.append(
            Demande(
                etablissement=hasard.choice(etablissements),
                dispositif=dispositif,
                demandeur=demandeur,
                intitule=f"Projet de l'année {i + 1} (démo)",
                projet="Projet de démonstration.",
                montant_demande=montant,
                montant_accorde=accorde,
                statut=statut,
                numero_depot=f"{PREFIXE}-{i + 1:05d}",
                depose_le=depose,
                decidee_le=decide,
                instructeur=instructeur if statut != Statut.DEPOSEE else None,
                demo=True,
            )
        )
    demandes = Demande.objects.bulk_create(demandes, batch_size=1000)

    valeurs, conventions, signatures = [], [], []
    for demande in demandes:
        if demande.statut != Statut.ACCORDEE:
            continue
        for type_id in suivis[demande.dispositif_id]:
            prevu = Decimal(hasard.choice([1, 2, 3, 5, 10, 20000, 50000]))
            realise = None
            if demande.decidee_le < maintenant - timedelta(days=240) and hasard.random() < 0.5:
                realise = (prevu * Decimal(hasard.choice(["0.5", "0.8", "1", "1.2"]))).quantize(Decimal("1"))
            valeurs.append(
                ValeurIndicateur(demande=demande, type_id=type_id, valeur_prevue=prevu, valeur_realisee=realise)
            )
        signee = demande.decidee_le + timedelta(days=hasard.choice([7, 10, 14, 21, 30, 45]))
        if signee > maintenant:
            continue
        conventions.append(
            ConventionAide(
                numero=f"{signee.year}-{PREFIXE}-{len(conventions) + 1:05d}",
                annee=signee.year,
                direction_id=demande.dispositif.direction_id,
                demande=demande,
                dispositif=demande.dispositif,
                etablissement_id=demande.etablissement_id,
                objet=demande.intitule,
                nature=demande.dispositif.nature,
                montant=demande.montant_accorde,
                part_region=demande.montant_accorde,
                date_decision=timezone.localdate(demande.decidee_le),
                etape=Etape.EN_EXECUTION,
                etape_depuis=signee,
                cree_le=demande.decidee_le,
                demo=True,
            )
        )
        signatures.append(signee)
    ValeurIndicateur.objects.bulk_create(valeurs, batch_size=1000)
    conventions = ConventionAide.objects.bulk_create(conventions, batch_size=1000)
    etapes, versements = [], []
    saf = User.objects.agents().filter(groups__name="gestionnaire_saf").first() or demandeur
    for convention, signee in zip(conventions, signatures, strict=True):
        etapes.append(
            EtapeConvention(
                convention=convention, de=Etape.SIGNEE_BENEFICIAIRE, vers=Etape.SIGNEE_REGION, le=signee,
                direction_id=convention.direction_id, dispositif_id=convention.dispositif_id,
            )
        )  # fmt: skip
        paye = signee + timedelta(days=hasard.choice([10, 15, 20, 30, 45, 60]))
        if paye < maintenant:
            versements.append(
                Versement(
                    convention=convention, type=Versement.Type.AVANCE, montant=_avance(convention),
                    etat=Versement.Etat.PAYE, demande_le=signee, paye_le=paye, par=saf,
                )
            )  # fmt: skip
        elif hasard.random() < 0.5:
            versements.append(
                Versement(
                    convention=convention, type=Versement.Type.AVANCE, montant=_avance(convention),
                    etat=Versement.Etat.DEMANDE, demande_le=signee, par=saf,
                )
            )  # fmt: skip
    EtapeConvention.objects.bulk_create(etapes, batch_size=2000)
    Versement.objects.bulk_create(versements, batch_size=2000)
    generation_suivante("saf")  # rows written in bulk send no post_save: the SAF's cached counts are stale

    directions = list(Direction.objects.all())
    sollicitations = []
    for i in range(NOMBRE_SOLLICITATIONS):
        recue = maintenant - timedelta(days=hasard.randint(0, 364), hours=hasard.randint(0, 8))
        etablissement = hasard.choice(etablissements)
        repondue = recue + timedelta(days=hasard.choice([1, 2, 3, 5, 8, 12, 20]))
        statut = Sollicitation.Statut.REPONDUE if repondue < maintenant else Sollicitation.Statut.PRISE_EN_CHARGE
        sollicitations.append(
            Sollicitation(
                nom=f"Contact {i + 1} (démo)", email=f"contact{i + 1}@demo.example.org",
                entreprise_id=etablissement.entreprise_id, etablissement=etablissement,
                commune_id=etablissement.commune_id, besoin=hasard.choice(Besoin.values),
                direction=hasard.choice(directions), statut=statut, cree_le=recue, prise_en_charge_le=recue,
                repondue_le=repondue if statut == Sollicitation.Statut.REPONDUE else None,
                reponse="Réponse de démonstration." if statut == Sollicitation.Statut.REPONDUE else "",
            )
        )  # fmt: skip
    sollicitations = Sollicitation.objects.bulk_create(sollicitations, batch_size=1000)

    enquetes = []
    for s in sollicitations:
        if s.repondue_le:
            enquetes.append(
                Enquete(
                    occasion=Enquete.Occasion.SOLLICITATION, sollicitation=s, entreprise_id=s.entreprise_id,
                    direction_id=s.direction_id, commune_id=s.commune_id, email=s.email,
                    envoyee_le=s.repondue_le + timedelta(hours=2), demo=True,
                )
            )  # fmt: skip
    for demande in demandes:
        if demande.statut in (Statut.ACCORDEE, Statut.REFUSEE):
            enquetes.append(
                Enquete(
                    occasion=Enquete.Occasion.DECISION, demande=demande,
                    entreprise_id=demande.etablissement.entreprise_id, direction_id=demande.dispositif.direction_id,
                    dispositif_id=demande.dispositif_id, commune_id=demande.etablissement.commune_id,
                    email=demandeur.email, envoyee_le=demande.decidee_le + timedelta(hours=2), demo=True,
                )
            )  # fmt: skip
    enquetes = Enquete.objects.bulk_create(enquetes, batch_size=1000)
    reponses = []
    for enquete in enquetes:
        if enquete.envoyee_le < maintenant - timedelta(days=1) and hasard.random() < 0.45:
            accordee = enquete.demande_id is None or enquete.demande.statut == Statut.ACCORDEE
            notes = [4, 4, 3, 3, 2] if accordee else [3, 2, 2, 1]
            reponses.append(
                ReponseEnquete(
                    enquete=enquete, utilite=hasard.choice(notes), simplicite=hasard.choice(notes),
                    commentaire=hasard.choice(["", "", "Interlocuteur disponible.", "Délais un peu longs."]),
                    repondue_le=enquete.envoyee_le + timedelta(days=1),
                )
            )  # fmt: skip
    ReponseEnquete.objects.bulk_create(reponses, batch_size=1000)
    MembrePanel.objects.bulk_create(
        [
            MembrePanel(nom=f"Dirigeant·e {i + 1} (démo)", email=f"panel{i + 1}@demo.example.org", demo=True,
                        fonction="Gérant·e", entreprise_id=hasard.choice(etablissements).entreprise_id)
            for i in range(12)
        ],
        ignore_conflicts=True,
    )  # fmt: skip
    stdout.write(
        f"  pilotage : {len(demandes)} demandes sur 12 mois, {len(conventions)} conventions signées, "
        f"{len(versements)} versements, {len(sollicitations)} demandes de contact, {len(enquetes)} enquêtes "
        f"({len(reponses)} réponses), 12 membres du panel (démo)"
    )
    _agreger(stdout)


def _agreger(stdout) -> None:
    """The statistics pages read the table of facts: rebuilt now rather than at the next hour."""
    calcul = agregats_rafraichir()
    stdout.write(f"  pilotage : {calcul.lignes} lignes de faits agrégés")
