"""Demo data of territories: chargés de mission per direction and département, assignments for every
EPCI, conventions for about 70 % of the EPCI (68 of 92) in every state, the next 1 January deadline. Idempotent.

Runs after portal's demo (its accounts exist). Needs the reference territories (`charger_territoires`).
"""

import hashlib
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from portal.demo import MOT_DE_PASSE_DEMO
from portal.models import Direction, User
from portal.roles import Role

from .chargement import DEPARTEMENTS
from .models import EPCI, Affectation, ConventionTerritoriale, EcheanceConventionnement, TypeConvention
from .services import convention_changer_statut, convention_creer, engagement_enregistrer

Statut = ConventionTerritoriale.Statut

# (direction code, e-mail part, mission shown on the public contacts page)
DIRECTIONS_DEMO = [
    ("DAEN", "daen", "Chargé(e) de mission développement économique"),
    ("DPRE", "prochemploi", "Chargé(e) de mission Proch'emploi (recrutement, emploi)"),
]
PRENOMS = {
    "02": ("Léa", "Hugo"),
    "59": ("Inès", "Mehdi"),
    "60": ("Chloé", "Antoine"),
    "62": ("Manon", "Yanis"),
    "80": ("Emma", "Lucas"),
}
COMPTE_PORTAIL = "charge.mission@demo.hautsdefrance.fr"
NB_EPCI_COMPTE_PORTAIL = 4


def _tirage(siren: str) -> int:
    """A stable number 0–99 per EPCI, so the demo is the same on every machine and every run."""
    return int(hashlib.sha256(siren.encode()).hexdigest(), 16) % 100


def _premier_janvier(apres: date) -> date:
    return date(apres.year + 1, 1, 1)


def _charges_de_mission(stdout) -> dict[tuple[str, str], User]:
    groupe = Group.objects.get(name=Role.CHARGE_DE_MISSION.value)
    comptes = {}
    for code_dep, nom_dep in DEPARTEMENTS.items():
        for rang, (code_dir, partie, mission) in enumerate(DIRECTIONS_DEMO):
            email = f"cm.{partie}.{code_dep}@demo.hautsdefrance.fr"
            user, cree = User.objects.get_or_create(
                email=email,
                defaults={
                    "first_name": PRENOMS[code_dep][rang],
                    "last_name": f"{nom_dep} {code_dir} (démo)",
                    "is_staff": True,
                    "direction": Direction.objects.get(code=code_dir),
                    "fonction": mission,
                    "telephone": f"03 74 27 {int(code_dep):02d} {10 + rang:02d}",
                },
            )
            if cree:
                user.set_password(MOT_DE_PASSE_DEMO)
                user.save()
            user.groups.add(groupe)
            comptes[(code_dep, code_dir)] = user
    stdout.write(f"  {len(comptes)} chargés de mission territoriaux de démonstration")
    return comptes


def _affectations(comptes, epcis: list[EPCI], stdout) -> None:
    nouvelles = []
    existantes = set(Affectation.objects.values_list("agent_id", "epci_id", "direction_id"))
    for epci in epcis:
        code_dep = min(d.code for d in epci.departements.all())
        for code_dir, _, mission in DIRECTIONS_DEMO:
            agent = comptes[(code_dep, code_dir)]
            if (agent.pk, epci.pk, agent.direction_id) not in existantes:
                nouvelles.append(Affectation(agent=agent, epci=epci, direction_id=agent.direction_id, mission=mission))
    portail = User.objects.filter(email=COMPTE_PORTAIL).first()
    if portail is not None:
        somme = [e for e in epcis if any(d.code == "80" for d in e.departements.all())][:NB_EPCI_COMPTE_PORTAIL]
        for epci in somme:
            if (portail.pk, epci.pk, portail.direction_id) not in existantes:
                nouvelles.append(
                    Affectation(
                        agent=portail, epci=epci, direction_id=portail.direction_id, mission="Référente entreprises"
                    )
                )
    Affectation.objects.bulk_create(nouvelles, ignore_conflicts=True)
    stdout.write(f"  {len(nouvelles)} affectations territoriales créées ({Affectation.objects.count()} au total)")


def _convention(epci, type, intitule, debut, fin, etapes, par, montant_region, montant_epci, notes="") -> bool:
    if ConventionTerritoriale.objects.filter(epci=epci, type=type, intitule=intitule).exists():
        return False
    convention = convention_creer(
        epci=epci,
        par=par,
        type=type,
        intitule=intitule,
        date_debut=debut,
        date_fin=fin,
        signataire_region="Le Président du Conseil régional (démo)",
        signataire_epci=f"Le Président de {epci.nom} (démo)",
        notes=notes,
        demo=True,
    )
    for annee in range(debut.year, fin.year + 1):
        engagement_enregistrer(
            convention=convention,
            annee=annee,
            montant_region=Decimal(montant_region),
            montant_epci=Decimal(montant_epci),
            par=par,
        )
    for statut in etapes:
        motif = "Remplacée par la convention cadre personnalisée (démo)." if statut == Statut.RESILIEE else ""
        le = min(debut, timezone.localdate()) if statut == Statut.SIGNEE else None
        convention_changer_statut(convention=convention, statut=statut, par=par, le=le, motif=motif)
    return True


SIGNEE = [Statut.EN_NEGOCIATION, Statut.SIGNEE]


def _conventions(epcis: list[EPCI], par, stdout) -> None:
    aujourd_hui = timezone.localdate()
    janvier = _premier_janvier(aujourd_hui)
    debut_cycle = date(aujourd_hui.year - 1, 1, 1)
    creees = 0
    for epci in epcis:
        n = _tirage(epci.siren)
        montant = 20000 + (n * 1500)
        aides = TypeConvention.AIDES
        if n < 30:  # in force for three years
            creees += _convention(
                epci,
                aides,
                "Convention d'aides aux entreprises 2025-2027 (démo)",
                debut_cycle,
                date(aujourd_hui.year + 1, 12, 31),
                SIGNEE,
                par,
                montant,
                montant // 2,
                "Réunion de suivi prévue au printemps (note interne de démonstration).",
            )
        elif n < 42:  # in force, ends within 90 days
            creees += _convention(
                epci,
                aides,
                "Convention d'aides aux entreprises (démo, fin proche)",
                debut_cycle,
                aujourd_hui + timedelta(days=10 + n),
                SIGNEE,
                par,
                montant,
                montant // 3,
            )
        elif n < 52:  # the former one expired, the renewal is being negotiated
            creees += _convention(
                epci,
                aides,
                "Convention d'aides aux entreprises 2022-2024 (démo)",
                date(2022, 1, 1),
                aujourd_hui - timedelta(days=30 + n),
                SIGNEE,
                par,
                montant,
                montant // 2,
            )
            creees += _convention(
                epci,
                aides,
                "Renouvellement de la convention d'aides (démo)",
                janvier,
                date(janvier.year + 2, 12, 31),
                [Statut.EN_NEGOCIATION],
                par,
                montant,
                montant // 2,
            )
        elif n < 55:  # a projet only
            creees += _convention(
                epci,
                TypeConvention.CADRE,
                "Convention cadre personnalisée (démo, projet)",
                janvier,
                date(janvier.year + 2, 12, 31),
                [],
                par,
                montant * 2,
                montant,
            )
        elif n < 57:  # terminated: no convention in force any more
            creees += _convention(
                epci,
                aides,
                "Convention d'aides aux entreprises (démo, résiliée)",
                debut_cycle,
                date(aujourd_hui.year + 1, 12, 31),
                [*SIGNEE, Statut.RESILIEE],
                par,
                montant,
                montant // 2,
            )
        elif n < 59:  # signed, starts on 1 January
            creees += _convention(
                epci,
                aides,
                "Convention d'aides aux entreprises 2027-2029 (démo, signée)",
                janvier,
                date(janvier.year + 2, 12, 31),
                SIGNEE,
                par,
                montant,
                montant // 2,
            )
        elif n < 62:  # expired, nothing since
            creees += _convention(
                epci,
                aides,
                "Convention d'aides aux entreprises 2021-2023 (démo)",
                date(2021, 1, 1),
                date(2023, 12, 31),
                SIGNEE,
                par,
                montant,
                montant // 2,
            )
        # n >= 62: not mobilised, no convention at all.
        if n < 42 and n % 2 == 0:  # one EPCI in two also lets the Région authorise its own scheme
            creees += _convention(
                epci,
                TypeConvention.AUTORISATION,
                "Convention d'autorisation (démo)",
                debut_cycle,
                date(aujourd_hui.year + 2, 12, 31),
                SIGNEE,
                par,
                0,
                montant // 4,
            )
        if n < 10:
            creees += _convention(
                epci,
                TypeConvention.CADRE,
                "Convention cadre personnalisée (démo)",
                debut_cycle,
                date(aujourd_hui.year + 2, 6, 30),
                SIGNEE,
                par,
                montant * 2,
                montant,
            )
    stdout.write(
        f"  {creees} conventions EPCI de démonstration créées ({ConventionTerritoriale.objects.count()} au total)"
    )
    echeance, _ = EcheanceConventionnement.objects.get_or_create(
        type=TypeConvention.AIDES, date=janvier, defaults={"libelle": "Renouvellement des conventions d'aides (démo)"}
    )
    stdout.write(f"  échéance de conventionnement : {echeance}")


def charger(stdout) -> None:
    epcis = list(EPCI.objects.defer("contour").prefetch_related("departements").order_by("nom"))
    if not epcis:
        stdout.write("  territoires : aucun EPCI chargé, lancez d'abord « manage.py charger_territoires »")
        return
    comptes = _charges_de_mission(stdout)
    _affectations(comptes, epcis, stdout)
    par = User.objects.filter(email="pilotage@demo.hautsdefrance.fr").first()
    _conventions(epcis, par, stdout)
