"""Plausible volume for benchmarks and load tests: `manage.py generer_volume --dispositifs 5000`.

Each option has its own generator function (`generer_<objets>`), so another one can be added
(e.g. `--etablissements N` for the CRM) without touching the others. Generated rows are demo rows.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.referentiels import Nature, Operateur, Public, RegimeAide, Stade, Thematique
from crm.generation import volume_etablissements_generer
from portal.models import Direction
from territoires.models import EPCI, Departement

TAILLE_LOT = 1000
PREFIXE_SLUG = "volume"

OBJETS = [
    "Chèque", "Prêt", "Fonds", "Pass", "Appel à projets", "Aide", "Avance", "Programme", "Accompagnement",
    "Soutien", "Garantie", "Contrat", "Trophée", "Parcours", "Bourse",
]  # fmt: skip
SUJETS = {
    Thematique.CREATION_REPRISE: ["création d'entreprise", "reprise d'entreprise", "premier investissement"],
    Thematique.TPE_PROXIMITE: ["commerce de proximité", "artisanat", "redynamisation des centres-bourgs"],
    Thematique.INNOVATION: ["innovation", "recherche et développement", "prototype", "propriété intellectuelle"],
    Thematique.FILIERES: ["industrie du futur", "filière agroalimentaire", "modernisation industrielle"],
    Thematique.EXPORT_ATTRACTIVITE: ["export", "prospection internationale", "salons à l'étranger"],
    Thematique.IMPLANTATION: ["implantation", "extension de site", "nouveau bâtiment"],
    Thematique.EMPLOI_RH: ["recrutement", "emploi des jeunes", "compétences", "marque employeur"],
    Thematique.FORMATION: ["formation des salariés", "apprentissage", "montée en compétences"],
    Thematique.TRANSITION_ECOLOGIQUE: ["transition énergétique", "économie circulaire", "décarbonation"],
    Thematique.NUMERIQUE: ["transformation numérique", "cybersécurité", "site marchand", "intelligence artificielle"],
}
QUALIFICATIFS = [
    "Hauts-de-France", "régional", "des territoires", "2027", "Initiative", "Rebond", "Avenir", "Proximité",
    "Croissance", "Impulsion", "Amorçage", "Tremplin",
]  # fmt: skip
PHRASES = [
    "La Région accompagne les entreprises qui portent un projet de {sujet} sur son territoire.",
    "Cette aide finance une partie des dépenses liées à la {sujet}, notamment le conseil et l'investissement.",
    "Les projets sont instruits par la direction pilote, en lien avec l'EPCI de l'entreprise.",
    "Un chargé de mission vous aide à préparer le dossier et à identifier les cofinancements possibles.",
    "Les dépenses engagées avant le dépôt de la demande ne sont pas éligibles.",
    "Le versement intervient sur justificatifs, en une ou deux fois.",
    "L'aide peut être cumulée avec les dispositifs de l'État et de Bpifrance, dans la limite des plafonds européens.",
    "Les entreprises en difficulté au sens européen ne sont pas éligibles.",
]
DOCUMENTS = [
    "Extrait Kbis de moins de trois mois",
    "Derniers comptes annuels",
    "Devis des dépenses prévues",
    "Plan de financement du projet",
    "Attestation de régularité fiscale et sociale",
    "Relevé d'identité bancaire",
    "Déclaration des aides de minimis reçues",
]
MONTANTS = [5_000, 10_000, 15_000, 20_000, 30_000, 50_000, 100_000, 150_000, 200_000, 300_000, 500_000]


def dispositif_au_hasard(numero: int, rng: random.Random, directions: list[Direction], jour) -> Dispositif:
    thematiques = rng.sample(list(Thematique), k=rng.choice([1, 1, 2, 2, 3]))
    sujet = rng.choice(SUJETS[thematiques[0]])
    nom = f"{rng.choice(OBJETS)} {sujet} {rng.choice(QUALIFICATIFS)} n° {numero}"
    phrases = rng.sample(PHRASES, k=4)
    description = "\n\n".join(p.format(sujet=sujet) for p in phrases)
    description += "\n\n## Dépenses éligibles\n\n- conseil externe\n- investissements matériels et immatériels\n"
    montant_max = rng.choice(MONTANTS)
    montant_min = rng.choice([None, montant_max // 10])
    effectif_min = rng.choice([None, None, 0, 1, 10, 50])
    effectif_max = rng.choice([None, None, 9, 49, 249, 2000])
    if effectif_min is not None and effectif_max is not None and effectif_min > effectif_max:
        effectif_min, effectif_max = effectif_max, effectif_min
    # One in ten already closed, one in four with a closing date ahead, the rest permanent.
    tirage = rng.random()
    date_cloture = None
    if tirage < 0.1:
        date_cloture = jour - timedelta(days=rng.randint(1, 400))
    elif tirage < 0.35:
        date_cloture = jour + timedelta(days=rng.randint(0, 500))
    date_ouverture = None
    if date_cloture is not None:
        date_ouverture = date_cloture - timedelta(days=rng.randint(60, 700))
    publie_le = timezone.now() - timedelta(days=rng.randint(0, 900), minutes=rng.randint(0, 1440))
    return Dispositif(
        nom=nom,
        slug=f"{PREFIXE_SLUG}-{numero}",
        resume=f"Soutien de la Région à la {sujet} : {phrases[0].format(sujet=sujet)[:300]}",
        description=description,
        thematiques=[str(t) for t in thematiques],
        nature=rng.choice(list(Nature)),
        publics=[str(p) for p in rng.sample(list(Public), k=rng.randint(1, 3))],
        stades=[str(s) for s in rng.sample(list(Stade), k=rng.randint(1, 2))],
        effectif_min=effectif_min,
        effectif_max=effectif_max,
        direction=rng.choice(directions),
        operateur=rng.choice(list(Operateur)),
        montant_min=Decimal(montant_min) if montant_min else None,
        montant_max=Decimal(montant_max),
        taux_max=Decimal(rng.choice([20, 30, 40, 50, 70, 80])) if rng.random() < 0.6 else None,
        regime=rng.choice(list(RegimeAide)),
        eligible_feder=rng.random() < 0.2,
        date_ouverture=date_ouverture,
        date_cloture=date_cloture,
        documents_requis=rng.sample(DOCUMENTS, k=rng.randint(1, 4)),
        statut=Dispositif.Statut.PUBLIE,
        publie_le=publie_le,
        cree_le=publie_le,
        demo=True,
    )


@transaction.atomic
def generer_dispositifs(nombre: int, rng: random.Random) -> int:
    """Create `nombre` published demo dispositifs: half region-wide, the rest on départements or EPCI."""
    directions = list(Direction.objects.all())
    departements = list(Departement.objects.values_list("code", flat=True))
    epcis = list(EPCI.objects.values_list("pk", flat=True))
    if not directions or not departements or not epcis:
        raise CommandError(
            "Chargez d'abord les directions (manage.py migrate) et les territoires (manage.py charger_territoires)."
        )
    depart = Dispositif.objects.filter(slug__startswith=f"{PREFIXE_SLUG}-").count()
    jour = timezone.localdate()
    LienDepartement = Dispositif.departements.through
    LienEPCI = Dispositif.epcis.through
    crees = 0
    for debut in range(0, nombre, TAILLE_LOT):
        lot = [
            dispositif_au_hasard(depart + debut + i + 1, rng, directions, jour)
            for i in range(min(TAILLE_LOT, nombre - debut))
        ]
        couvertures = [rng.random() for _ in lot]
        for dispositif, tirage in zip(lot, couvertures, strict=True):
            dispositif.couvre_region = tirage < 0.5
        Dispositif.objects.bulk_create(lot, batch_size=TAILLE_LOT)
        liens_departements, liens_epcis = [], []
        for dispositif, tirage in zip(lot, couvertures, strict=True):
            if tirage < 0.5:
                continue
            if tirage < 0.8:
                for code in rng.sample(departements, k=rng.randint(1, 2)):
                    liens_departements.append(LienDepartement(dispositif_id=dispositif.pk, departement_id=code))
            else:
                for epci in rng.sample(epcis, k=rng.randint(1, 3)):
                    liens_epcis.append(LienEPCI(dispositif_id=dispositif.pk, epci_id=epci))
        LienDepartement.objects.bulk_create(liens_departements)
        LienEPCI.objects.bulk_create(liens_epcis)
        crees += len(lot)
    return crees


def generer_etablissements(nombre: int, rng: random.Random) -> int:
    """Write SIRENE-format files of `nombre` establishments and import them with the real importer."""

    rapport = volume_etablissements_generer(nombre, rapporter=print)
    return rapport.etablissements.creees + rapport.etablissements.mises_a_jour


class Command(BaseCommand):
    help = "Génère un volume de données plausibles (marquées « démo ») pour les mesures de performance."

    # One entry per option: (option, generator(nombre, rng) -> created, what the count means).
    # To add one (e.g. --etablissements for the CRM): an argument below and an entry here.
    GENERATEURS = [
        ("dispositifs", generer_dispositifs, "dispositifs publiés créés (démo)"),
        ("etablissements", generer_etablissements, "établissements importés (fichiers au format SIRENE générés)"),
    ]

    def add_arguments(self, parser):
        parser.add_argument("--dispositifs", type=int, default=0, help="nombre de dispositifs publiés à créer")
        parser.add_argument(
            "--etablissements", type=int, default=0, help="nombre d'établissements de la région à générer et importer"
        )
        parser.add_argument("--graine", type=int, default=None, help="graine du hasard, pour rejouer un tirage")

    def handle(self, *args, **options):
        rng = random.Random(options["graine"])
        demandes = [(nom, generer, libelle) for nom, generer, libelle in self.GENERATEURS if options[nom]]
        if not demandes:
            raise CommandError("Indiquez ce qu'il faut générer, par exemple --dispositifs 5000.")
        for nom, generer, libelle in demandes:
            if options[nom] < 0:
                raise CommandError(f"--{nom} doit être un nombre positif.")
            crees = generer(options[nom], rng)
            self.stdout.write(self.style.SUCCESS(f"{crees} {libelle}."))
