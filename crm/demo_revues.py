"""Demo of project reviews and of partners' fundings. Idempotent.

Called at the end of crm/demo.py's `charger` (it needs the demo companies and structures). Creates
the two reviews (territoires.RevueDeProjets) too: territoires' demo runs before the CRM's.
"""

from datetime import time, timedelta
from decimal import Decimal

from django.utils import timezone

from crm.services_revues import revue_creer
from portal.models import Direction, User
from territoires.models import EPCI, RevueDeProjets

from . import revues
from .models import Entreprise, FinancementStructure, Indicateur, PointRevue, Structure

LIEU_TENUE = "Amiens Métropole, salle du conseil (démo)"
LIEU_PLANIFIEE = "Hôtel de Région, Amiens, salle 3 (démo)"
PARTENAIRES = "\n".join(
    [
        "Préfecture de la Somme, sous-préfet à la relance (démo)",
        "Amiens Métropole, direction du développement économique (démo)",
        "CCI Amiens-Picardie, conseillère entreprises (démo)",
        "CMA Hauts-de-France, antenne de la Somme (démo)",
        "HDFID, chargé d'affaires (démo)",
    ]
)

# (company name, subject, minutes, decision title or "", days until due)
POINTS_TENUE = [
    (
        "Boulangerie Lefèvre (démo)",
        "Reprise du fonds et modernisation du fournil",
        "Projet solide, plan de financement à consolider. La CCI accompagne la reprise ; HDFID étudie un prêt.",
        "Transmettre le dossier de prêt à HDFID",
        14,
    ),
    (
        "Métallerie du Vimeu (démo)",
        "Extension de l'atelier et recrutement de deux soudeurs",
        "L'EPCI propose un terrain en zone d'activité. Proch'emploi mobilisé pour le recrutement.",
        "Organiser une rencontre avec Proch'emploi",
        21,
    ),
]
POINTS_PLANIFIEE = [
    ("Boulangerie Lefèvre (démo)", "Point d'étape sur le prêt HDFID"),
    ("Métallerie du Vimeu (démo)", "Suite du projet d'extension : terrain et permis"),
]

# (structure sigle, direction code, amount, purpose, [(objective, target, actual or None, unit)])
FINANCEMENTS = [
    ("CCI", "DAEN", 180000, "Accompagnement des TPE et de la transmission",
     [("Entreprises accompagnées", 400, 352, "entreprises"), ("Reprises réalisées", 60, 64, "reprises")]),
    ("CCI", "DPRE", 60000, "Appui au recrutement des PME",
     [("Recrutements accompagnés", 150, 98, "recrutements")]),
    ("CMA", "DAEN", 150000, "Développement des entreprises artisanales",
     [("Artisans accompagnés", 500, 510, "artisans")]),
    ("CMA", "DFP", 90000, "Apprentissage dans l'artisanat",
     [("Contrats d'apprentissage signés", 800, 640, "contrats")]),
    ("BGE", "DAEN", 120000, "Accompagnement à la création",
     [("Porteurs de projet accompagnés", 900, 930, "porteurs"), ("Entreprises créées", 300, 240, "entreprises")]),
    ("BGE", "DPRE", 40000, "Créateurs issus de la demande d'emploi",
     [("Demandeurs d'emploi créateurs", 120, None, "personnes")]),
    ("France Active", "DAEN", 200000, "Garanties et prêts d'honneur",
     [("Entreprises financées", 350, 371, "entreprises")]),
    ("ADIE", "DAEN", 80000, "Microcrédit professionnel",
     [("Microcrédits accordés", 700, 655, "microcrédits")]),
    ("Réseau Entreprendre", "DAEN", 70000, "Prêts d'honneur aux créateurs à potentiel",
     [("Lauréats", 60, 62, "lauréats")]),
    ("Initiative", "DAEN", 110000, "Prêts d'honneur de proximité",
     [("Prêts d'honneur", 1200, 1130, "prêts")]),
    ("Initiative", "DPEAP", 30000, "Entrepreneuriat dans les quartiers",
     [("Créations en QPV", 90, 95, "créations")]),
    ("Matikem", "DIPI", 250000, "Animation de la filière matériaux et chimie",
     [("Projets collaboratifs labellisés", 25, 19, "projets")]),
    ("Aquimer", "DIPI", 200000, "Animation de la filière produits de la mer",
     [("Projets collaboratifs labellisés", 15, 16, "projets")]),
    ("NFI", "DTRI", 900000, "Prospection et implantation d'investisseurs",
     [("Implantations accompagnées", 45, 38, "implantations"), ("Emplois annoncés", 2500, 2710, "emplois")]),
    ("NFI", "DAEN", 100000, "Accueil des entreprises étrangères déjà implantées",
     [("Entreprises suivies", 120, None, "entreprises")]),
]  # fmt: skip


def _revues(stdout) -> None:
    epci = EPCI.objects.filter(communes__code_insee="80021").defer("contour").first()
    if epci is None or RevueDeProjets.objects.filter(demo=True).exists():
        return
    entreprises = {e.denomination: e for e in Entreprise.objects.filter(demo=True)}
    if not all(nom in entreprises for nom, *_ in POINTS_TENUE):
        return
    internes = list(
        User.objects.filter(
            email__in=[
                "charge.mission@demo.hautsdefrance.fr",
                "cm.daen.80@demo.hautsdefrance.fr",
                "cm.prochemploi.80@demo.hautsdefrance.fr",
                "pilotage@demo.hautsdefrance.fr",
            ]
        )
    )
    pilotage = next((u for u in internes if u.email.startswith("pilotage@")), None)
    referent = next((u for u in internes if u.email.startswith("charge.mission@")), None) or pilotage
    aujourd_hui = timezone.localdate()
    tenue = revue_creer(
        par=None,
        epcis=[epci],
        participants_internes=internes,
        date=aujourd_hui - timedelta(weeks=3),
        heure=time(9, 30),
        lieu=LIEU_TENUE,
        participants_partenaires=PARTENAIRES,
        demo=True,
    )
    for nom, sujet, compte_rendu, decision, jours in POINTS_TENUE:
        point = revues.point_ajouter(revue=tenue, entreprise=entreprises[nom], sujet=sujet, par=None)
        PointRevue.objects.filter(pk=point.pk).update(compte_rendu=compte_rendu)
        if decision and referent is not None:
            echeance = aujourd_hui + timedelta(days=jours)
            revues.decision_ajouter(point=point, titre=decision, assignee=referent, echeance=echeance, par=pilotage)
    RevueDeProjets.objects.filter(pk=tenue.pk).update(statut=RevueDeProjets.Statut.TENUE)
    planifiee = revue_creer(
        par=None,
        epcis=[epci],
        participants_internes=internes,
        date=tenue.prochaine_date_suggeree,
        heure=tenue.heure,
        lieu=LIEU_PLANIFIEE,
        participants_partenaires=PARTENAIRES,
        demo=True,
    )
    for nom, sujet in POINTS_PLANIFIEE:
        revues.point_ajouter(revue=planifiee, entreprise=entreprises[nom], sujet=sujet, par=None)
    stdout.write(f"  2 revues de projets de démonstration ({epci.nom}) : une tenue, une planifiée")


def _financements(stdout) -> None:
    structures = {s.sigle: s for s in Structure.objects.filter(demo=True).exclude(sigle="")}
    directions = {d.code: d for d in Direction.objects.all()}
    annee = timezone.localdate().year
    crees = 0
    for sigle, code, montant, objet, indicateurs in FINANCEMENTS:
        structure = structures.get(sigle)
        if structure is None or code not in directions:
            continue
        # The current year and the previous one (last year's results are all measured).
        for an, facteur in ((annee - 1, Decimal("0.95")), (annee, Decimal("1"))):
            financement, cree = FinancementStructure.objects.get_or_create(
                structure=structure,
                direction=directions[code],
                annee=an,
                objet=objet,
                defaults={"montant": (Decimal(montant) * facteur).quantize(Decimal("1"))},
            )
            if not cree:
                continue
            crees += 1
            for libelle, cible, realise, unite in indicateurs:
                if an == annee - 1 and realise is None:
                    realise = cible
                Indicateur.objects.create(
                    financement=financement,
                    libelle=libelle,
                    cible=Decimal(cible),
                    realise=None if realise is None else Decimal(realise),
                    unite=unite,
                )
    stdout.write(f"  {crees} financements de structures partenaires créés")


def charger(stdout) -> None:
    _revues(stdout)
    _financements(stdout)
