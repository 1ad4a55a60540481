"""Demo parcours templates, consistent with the demo catalogue (aides/demo.py).

Dispositifs are looked up by slug when the command runs; a missing one is reported and skipped,
never fatal. Idempotent: templates are matched on their slug and their steps rewritten.
"""

from django.db import transaction

from aides.models import Dispositif
from portal.models import Direction

from .models import EtapeParcours, ParcoursType

T = EtapeParcours.Type

# slug, name, direction, conditions, description, steps (type, title, text, operators, dispositif slugs)
PARCOURS_DEMO = [
    {
        "slug": "demo-creer-son-entreprise",
        "nom": "Créer ou reprendre son entreprise (démo)",
        "direction": "DAEN",
        "ordre": 10,
        "conditions": {"stades": ["projet", "recente", "transmission"]},
        "description": "De l'idée aux trois premières années : un diagnostic, un accompagnement Starter, "
        "un prêt d'honneur ou un prêt de la Région, puis un suivi.",
        "etapes": [
            (
                T.DIAGNOSTIC,
                "Diagnostic de départ de votre projet",
                "Un conseiller fait le point avec vous : marché, financement, statut.",
                "BGE, CCI, CMA",
                ["maison-des-entrepreneurs-premier-accueil"],
            ),
            (
                T.ACCOMPAGNEMENT,
                "Être accompagné jusqu'au lancement",
                "Un accompagnement individuel avant et après la création.",
                "Réseau Starter",
                ["starter-accompagnement-des-createurs"],
            ),
            (
                T.FINANCEMENT,
                "Financer le démarrage",
                "Prêts d'honneur et prêts de la Région, sans garantie personnelle.",
                "France Active, Initiative, Réseau Entreprendre",
                [
                    "pret-dhonneur-creation-reprise",
                    "garantie-creation-france-active",
                    "pret-dhonneur-reseau-entreprendre",
                    "microcredit-professionnel-adie",
                    "transmission-reprise-des-entreprises-artisanales",
                ],
            ),
            (
                T.SUIVI,
                "Suivi pendant trois ans",
                "Votre conseiller vous suit pendant les trois premières années.",
                "Réseau Starter",
                [],
            ),
        ],
    },
    {
        "slug": "demo-tpe-proximite-artisanat-commerce",
        "nom": "TPE de proximité : artisanat et commerce (démo)",
        "direction": "DPEAP",
        "ordre": 20,
        "conditions": {"statuts": ["artisan", "commercant"]},
        "description": "Pour les artisans et commerçants, souvent oubliés : moderniser, investir, se numériser.",
        "etapes": [
            (
                T.DIAGNOSTIC,
                "Diagnostic de votre entreprise",
                "Un diagnostic gratuit de votre activité et de vos besoins.",
                "CMA Hauts-de-France, CCI Hauts-de-France",
                ["parcours-dirigeant-de-tpe", "diagnostic-energie-et-dechets-des-tpe"],
            ),
            (
                T.FINANCEMENT,
                "Investir pour moderniser",
                "Matériel, vitrine, mise aux normes : les aides de la Région aux TPE.",
                "",
                [
                    "booster-tpe",
                    "pret-croissance-tpe",
                    "reha-renovation-des-locaux-des-artisans-et-commercants",
                    "mobi-vehicules-utilitaires-des-artisans",
                    "dernier-commerce-de-village",
                    "metiers-dart-de-la-somme",
                    "aide-directe-aux-tpe-du-pays-de-saint-omer",
                    "commerce-et-artisanat-en-thierache",
                ],
            ),
            (
                T.ACCOMPAGNEMENT,
                "Se numériser",
                "Site, vente en ligne, outils de gestion.",
                "CCI, CMA",
                ["inac-investissement-numerique-des-artisans-et-commercants", "pass-numerique-tpe"],
            ),
            (T.SUIVI, "Suivi par votre conseiller", "Un point un an après l'aide.", "", []),
        ],
    },
    {
        "slug": "demo-innover",
        "nom": "Innover (démo)",
        "direction": "DIPI",
        "ordre": 30,
        "conditions": {"projets": ["innover"]},
        "description": "De l'idée à l'industrialisation : diagnostic innovation, accompagnement, financement adapté "
        "à la maturité du projet.",
        "etapes": [
            (
                T.DIAGNOSTIC,
                "Diagnostic innovation",
                "Qualifier le projet, sa maturité et ses partenaires.",
                "Hauts-de-France Innovation Développement",
                ["diagnostic-innovation"],
            ),
            (
                T.ACCOMPAGNEMENT,
                "Être accompagné",
                "Incubateurs, pôles de compétitivité, experts.",
                "Incubateurs, pôles de compétitivité",
                ["aide-a-la-creation-dentreprises-innovantes-et-industrielles"],
            ),
            (
                T.FINANCEMENT,
                "Financer l'innovation",
                "Subventions, avances remboursables et prêts selon la maturité.",
                "Bpifrance, HDFID",
                [
                    "pret-damorcage-innovation",
                    "projets-de-rd-collaboratifs",
                    "fonds-damorcage-regional",
                    "donnees-et-intelligence-artificielle-dans-lindustrie",
                ],
            ),
            (T.SUIVI, "Suivi du projet", "Revue de projet avec la Région et les partenaires.", "", []),
        ],
    },
    {
        "slug": "demo-exporter",
        "nom": "Exporter (démo)",
        "direction": "DTRI",
        "ordre": 40,
        "conditions": {"projets": ["exporter"]},
        "description": "Préparer, prospecter, financer : la Team France Export et les aides de la Région.",
        "etapes": [
            (
                T.DIAGNOSTIC,
                "Diagnostic export",
                "Évaluer votre potentiel et choisir vos marchés.",
                "Team France Export Hauts-de-France",
                ["prospection-export-avec-team-france-export"],
            ),
            (
                T.ACCOMPAGNEMENT,
                "Prospecter à plusieurs",
                "Salons, missions collectives, volontariat international.",
                "Team France Export, Business France",
                [
                    "pavillon-regional-sur-les-salons-internationaux",
                    "premier-volontariat-international-en-entreprise",
                ],
            ),
            (T.SUIVI, "Suivi", "Un point sur vos résultats à l'export.", "", []),
        ],
    },
    {
        # Settling or growing in the region is its own need (not export): site, building, jobs.
        "slug": "demo-implanter",
        "nom": "S'implanter ou s'agrandir dans la région (démo)",
        "direction": "DAEN",
        "ordre": 45,
        "conditions": {"projets": ["implanter"]},
        "description": "Trouver un site, financer le bâtiment et les équipements, recruter : la Région et "
        "Nord France Invest.",
        "etapes": [
            (
                T.DIAGNOSTIC,
                "Définir le projet et le site",
                "Foncier, immobilier, emplois créés : un chargé de mission fait le point avec vous et l'EPCI.",
                "Région, EPCI, Nord France Invest pour les investisseurs étrangers",
                ["accueil-des-investisseurs-etrangers"],
            ),
            (
                T.FINANCEMENT,
                "Financer l'investissement",
                "Bâtiment, terrain, équipements de production.",
                "Région Hauts-de-France",
                ["aide-a-limplantation-et-a-lextension"],
            ),
            (T.SUIVI, "Suivi", "Un point sur les emplois créés et le chantier.", "", []),
        ],
    },
    {
        "slug": "demo-recruter-proch-emploi",
        "nom": "Recruter avec Proch'emploi (démo)",
        "direction": "DPRE",
        "ordre": 50,
        "conditions": {"projets": ["recruter", "former"]},
        "description": "Proch'emploi trouve avec vous les bons candidats près de chez vous et organise leur formation.",
        "etapes": [
            (T.DIAGNOSTIC, "Définir votre besoin", "Le poste, les compétences, le calendrier.", "Proch'emploi", []),
            (
                T.ACCOMPAGNEMENT,
                "Trouver les candidats",
                "Présélection de candidats du territoire.",
                "Proch'emploi",
                [
                    "prochemploi-appui-au-recrutement",
                    "groupements-demployeurs-et-rh-partagee",
                    "emploi-dans-la-sambre-avesnois",
                    "pass-senior-entreprise",
                ],
            ),
            (
                T.FINANCEMENT,
                "Former les personnes recrutées",
                "Formations financées par la Région.",
                "",
                ["formation-avant-embauche", "competences-des-salaries-des-tpe-et-pme"],
            ),
            (T.SUIVI, "Suivi de l'intégration", "Un point après la période d'essai.", "Proch'emploi", []),
        ],
    },
    {
        "slug": "demo-traverser-une-difficulte",
        "nom": "Traverser une difficulté (démo)",
        "direction": "DAEN",
        "ordre": 60,
        "conditions": {"projets": ["difficulte"]},
        "description": "Trésorerie, perte d'un client, baisse d'activité : réagir tôt avec la Région.",
        "etapes": [
            (
                T.DIAGNOSTIC,
                "Diagnostic de la situation",
                "Un échange confidentiel avec un conseiller.",
                "CCI, CMA, Tribunal de commerce (prévention)",
                ["prevention-des-difficultes-des-entreprises"],
            ),
            (
                T.FINANCEMENT,
                "Consolider la trésorerie",
                "Prêts et garanties de la Région et de ses partenaires.",
                "Bpifrance, France Active",
                ["pret-de-consolidation", "fonds-de-consolidation-de-less"],
            ),
            (T.SUIVI, "Suivi", "Un point trois mois plus tard.", "", []),
        ],
    },
]


@transaction.atomic
def charger(stdout) -> None:
    for definition in PARCOURS_DEMO:
        direction = Direction.objects.get(code=definition["direction"])
        parcours, _ = ParcoursType.objects.update_or_create(
            slug=definition["slug"],
            defaults={
                "nom": definition["nom"],
                "description": definition["description"],
                "direction": direction,
                "ordre": definition["ordre"],
                "actif": True,
                "demo": True,
                **{
                    champ: definition["conditions"].get(champ, [])
                    for champ in ("stades", "projets", "statuts", "tailles", "maturites")
                },
            },
        )
        parcours.etapes.all().delete()
        nombre_aides = 0
        for ordre, (type_, titre, texte, operateurs, slugs) in enumerate(definition["etapes"], start=1):
            etape = EtapeParcours.objects.create(
                parcours=parcours, ordre=ordre, type=type_, titre=titre, texte=texte, operateurs=operateurs
            )
            if slugs:
                # The demo catalogue names its rows « … (démo) », hence slugs ending in « -demo ».
                candidats = [*slugs, *(f"{slug}-demo" for slug in slugs)]
                trouves = list(Dispositif.objects.filter(slug__in=candidats).exclude(statut=Dispositif.Statut.ARCHIVE))
                etape.dispositifs.set(trouves)
                nombre_aides += len(trouves)
                if not trouves:
                    stdout.write(
                        f"  attention : aucun dispositif parmi {', '.join(slugs)} pour l'étape « {titre} » "
                        f"de « {parcours.nom} »"
                    )
        stdout.write(f"  parcours de démonstration « {parcours.nom} » : {ordre} étapes, {nombre_aides} dispositifs")
