"""Demo dispositifs: transition écologique, numérique, difficulté, un brouillon (fictitious amounts and contacts)."""

from datetime import date
from decimal import Decimal

from aides.catalogue.demo.textes import (
    ARCHIVE,
    BROUILLON,
    DECLARATION_DE_MINIMIS,
    NAF_HORS_AGRI_FINANCE,
    PIECES_BASE,
    PIECES_INVEST,
    texte,
)
from aides.catalogue.referentiels import Nature, Operateur, Public, RegimeAide, Stade
from aides.catalogue.referentiels import Thematique as T


def dispositifs(jours) -> list[dict]:
    """`jours(n)`: the date n days from today (negative: in the past)."""
    return [
        # --- Transition écologique ----------------------------------------------------------
        dict(
            nom="Prêt transition Rev3",
            resume="Un prêt à taux zéro jusqu'à 500 000 € pour les projets de transition énergétique et "
            "d'économie circulaire des PME (troisième révolution industrielle).",
            description=texte(
                "Financer les investissements de la troisième révolution industrielle en Hauts-de-France.",
                [
                    "Efficacité énergétique des procédés",
                    "Production d'énergie renouvelable",
                    "Écoconception et réemploi",
                ],
                "Prêt participatif à taux zéro de 50 000 à 500 000 €, sur 7 ans dont 2 de différé.",
            ),
            thematiques=[T.TRANSITION_ECOLOGIQUE],
            nature=Nature.PRET,
            publics=[Public.PME, Public.TPE],
            stades=[Stade.DEVELOPPEMENT],
            naf_exclus=NAF_HORS_AGRI_FINANCE,
            direction="DTRI",
            operateur=Operateur.HDFID,
            montant_min=Decimal(50000),
            montant_max=Decimal(500000),
            regime=RegimeAide.DE_MINIMIS,
            eligible_feder=True,
            documents_requis=[*PIECES_INVEST, "Audit énergétique ou étude technique", DECLARATION_DE_MINIMIS],
        ),
        dict(
            nom="Décarbonation de l'industrie",
            resume="Une subvention aux industriels qui réduisent leurs émissions : chaleur renouvelable, "
            "électrification des procédés, récupération de chaleur.",
            description=texte(
                "Réduire les émissions de gaz à effet de serre de l'industrie régionale.",
                ["Surcoût des équipements performants", "Récupération de chaleur fatale", "Chaudières biomasse"],
                "Subvention de 30 à 50 % des coûts admissibles selon la taille, jusqu'à 800 000 €.",
            ),
            thematiques=[T.TRANSITION_ECOLOGIQUE, T.FILIERES],
            nature=Nature.SUBVENTION,
            publics=[Public.PME, Public.ETI],
            stades=[Stade.DEVELOPPEMENT],
            effectif_min=10,
            naf_inclus=["C"],
            direction="DTRI",
            montant_min=Decimal(50000),
            montant_max=Decimal(800000),
            taux_max=Decimal(50),
            regime=RegimeAide.RGEC,
            regime_reference="RGEC (UE) 651/2014, article 38 (efficacité énergétique)",
            eligible_feder=True,
            documents_requis=[*PIECES_INVEST, "Étude énergétique", "Bilan des émissions de gaz à effet de serre"],
        ),
        dict(
            nom="Diagnostic énergie et déchets des TPE",
            resume="Un diagnostic gratuit d'une demi-journée pour réduire la facture d'énergie et de déchets "
            "d'un commerce, d'un atelier ou d'un restaurant.",
            description=texte(
                "Donner aux petites entreprises des économies rapides et un plan d'action.",
                ["Visite sur site", "Rapport avec actions chiffrées", "Orientation vers les aides"],
                "Diagnostic réalisé par un conseiller de la CCI ou de la CMA, financé par la Région.",
            ),
            thematiques=[T.TRANSITION_ECOLOGIQUE, T.TPE_PROXIMITE],
            nature=Nature.ACCOMPAGNEMENT,
            publics=[Public.TPE, Public.ARTISAN, Public.COMMERCANT],
            stades=[Stade.DEVELOPPEMENT, Stade.DIFFICULTE],
            effectif_max=9,
            direction="DTRI",
            operateur=Operateur.PARTENAIRE,
            operateur_nom="CCI et CMA Hauts-de-France",
        ),
        dict(
            nom="Appel à projets économie circulaire 2025",
            resume="Appel à projets pour le réemploi, la réparation et le recyclage : session 2025 close.",
            description=texte(
                "Faire émerger des filières locales de réemploi et de recyclage.",
                ["Équipements de tri et de préparation", "Études de faisabilité", "Animation de filière"],
                "Subvention jusqu'à 40 %, plafonnée à 200 000 €. Session close : la suivante est annoncée.",
            ),
            thematiques=[T.TRANSITION_ECOLOGIQUE],
            nature=Nature.SUBVENTION,
            publics=[Public.PME, Public.TPE, Public.ESS],
            stades=[Stade.DEVELOPPEMENT, Stade.CREATION],
            direction="DTRI",
            montant_max=Decimal(200000),
            taux_max=Decimal(40),
            regime=RegimeAide.RGEC,
            regime_reference="RGEC (UE) 651/2014, article 47 (recyclage et réemploi)",
            eligible_feder=True,
            date_ouverture=date(2025, 3, 1),
            date_cloture=date(2025, 6, 30),
            documents_requis=[*PIECES_BASE, "Dossier de candidature", "Budget du projet"],
        ),
        dict(
            nom="Aide exceptionnelle énergie 2023",
            resume="Aide temporaire aux entreprises très consommatrices d'énergie pendant la crise de 2023.",
            description=texte(
                "Amortir la hausse brutale des prix de l'énergie.",
                ["Surcoût des factures d'énergie"],
                "Dispositif temporaire terminé.",
            ),
            thematiques=[T.TRANSITION_ECOLOGIQUE],
            nature=Nature.SUBVENTION,
            publics=[Public.TPE, Public.PME],
            stades=[Stade.DIFFICULTE],
            direction="DAEN",
            montant_max=Decimal(20000),
            regime=RegimeAide.DE_MINIMIS,
            date_ouverture=date(2023, 1, 15),
            date_cloture=date(2023, 12, 31),
            statut=ARCHIVE,
        ),
        # --- Numérique ----------------------------------------------------------------------
        dict(
            nom="Pass numérique TPE",
            resume="Des prestations de conseil numérique prises en charge à 80 % : stratégie en ligne, "
            "réseaux sociaux, outils de gestion.",
            description=texte(
                "Aider les TPE à choisir les bons outils numériques avant d'investir.",
                ["Diagnostic numérique", "Accompagnement par un prestataire référencé (jusqu'à 5 jours)"],
                "Prise en charge de 80 % du coût, jusqu'à 3 000 €.",
            ),
            thematiques=[T.NUMERIQUE],
            nature=Nature.ACCOMPAGNEMENT,
            publics=[Public.TPE, Public.ARTISAN, Public.COMMERCANT],
            stades=[Stade.DEVELOPPEMENT, Stade.CREATION],
            effectif_max=9,
            direction="DPEAP",
            montant_max=Decimal(3000),
            taux_max=Decimal(80),
            regime=RegimeAide.DE_MINIMIS,
            documents_requis=[*PIECES_BASE, "Devis du prestataire référencé"],
        ),
        dict(
            nom="Cybersécurité des PME",
            resume="Un diagnostic de cybersécurité et un plan de protection pour les PME, avec une aide "
            "aux premières mesures.",
            description=texte(
                "Protéger les PME contre les rançongiciels et les fraudes.",
                ["Audit de sécurité", "Sauvegardes, pare-feu, sensibilisation des salariés"],
                "Diagnostic gratuit, puis subvention de 50 % des mesures prioritaires jusqu'à 10 000 €.",
            ),
            thematiques=[T.NUMERIQUE],
            nature=Nature.SUBVENTION,
            publics=[Public.PME, Public.TPE],
            stades=[Stade.DEVELOPPEMENT],
            effectif_max=249,
            direction="DIPI",
            montant_max=Decimal(10000),
            taux_max=Decimal(50),
            regime=RegimeAide.DE_MINIMIS,
            documents_requis=[*PIECES_BASE, "Rapport du diagnostic de cybersécurité"],
        ),
        dict(
            nom="Données et intelligence artificielle dans l'industrie",
            resume="Un accompagnement et une subvention pour les premiers projets de valorisation des "
            "données de production dans les PME industrielles de l'Oise.",
            description=texte(
                "Tirer parti des données de production pour la maintenance, la qualité et l'énergie.",
                ["Capteurs et collecte de données", "Développement d'un cas d'usage", "Formation des équipes"],
                "Subvention de 40 %, jusqu'à 40 000 €, après un diagnostic d'opportunité.",
            ),
            thematiques=[T.NUMERIQUE, T.INNOVATION, T.FILIERES],
            nature=Nature.SUBVENTION,
            publics=[Public.PME],
            stades=[Stade.DEVELOPPEMENT],
            effectif_min=10,
            effectif_max=249,
            naf_inclus=["C"],
            couvre_region=False,
            departements=["60"],
            direction="DIPI",
            montant_max=Decimal(40000),
            taux_max=Decimal(40),
            regime=RegimeAide.RGEC,
            regime_reference="RGEC (UE) 651/2014, article 29 (innovation de procédé)",
            documents_requis=[*PIECES_INVEST, "Description du cas d'usage"],
        ),
        # --- Difficulté ---------------------------------------------------------------------
        dict(
            nom="Prévention des difficultés des entreprises",
            resume="Une écoute confidentielle et un accompagnement des dirigeants qui voient venir des "
            "difficultés de trésorerie ou de carnet de commandes.",
            description=texte(
                "Agir tôt, avant que la situation ne soit irréversible.",
                [
                    "Diagnostic financier",
                    "Mise en relation avec les procédures amiables du tribunal",
                    "Plan de redressement",
                ],
                "Accompagnement gratuit et confidentiel par un chargé d'affaires de HDFID et les partenaires "
                "(CCI, CMA, experts-comptables).",
            ),
            thematiques=[T.TPE_PROXIMITE],
            nature=Nature.ACCOMPAGNEMENT,
            publics=[Public.TPE, Public.PME, Public.ARTISAN, Public.COMMERCANT],
            stades=[Stade.DIFFICULTE],
            direction="HDFID",
            operateur=Operateur.HDFID,
        ),
        dict(
            nom="Prêt de consolidation",
            resume="Un prêt pour reconstituer la trésorerie des PME fragilisées mais viables, en "
            "complément d'un effort des banques et des actionnaires.",
            description=texte(
                "Redonner de l'air aux entreprises viables après un choc.",
                ["Reconstitution du fonds de roulement", "Financement d'un plan de retournement"],
                "Prêt de 30 000 à 300 000 € aux conditions du marché, sur 5 ans, décidé en comité.",
                "Un prêt aux conditions du marché n'est pas une aide d'État.",
            ),
            thematiques=[T.TPE_PROXIMITE, T.FILIERES],
            nature=Nature.PRET,
            publics=[Public.PME, Public.TPE],
            stades=[Stade.DIFFICULTE],
            effectif_min=5,
            naf_exclus=NAF_HORS_AGRI_FINANCE,
            direction="HDFID",
            operateur=Operateur.HDFID,
            montant_min=Decimal(30000),
            montant_max=Decimal(300000),
            regime=RegimeAide.AUCUN,
            documents_requis=[*PIECES_INVEST, "Plan de trésorerie à 12 mois", "Accord des banques"],
        ),
        # --- A draft, to show the workflow -------------------------------------------------
        dict(
            nom="Label employeur responsable",
            resume="Projet : un label régional pour les entreprises engagées en matière de RSE, pour "
            "attirer des candidats.",
            description=texte(
                "Piste de la concertation 2022 : valoriser les employeurs responsables.",
                ["Audit RSE", "Plan d'amélioration"],
                "En cours de conception.",
            ),
            thematiques=[T.EMPLOI_RH, T.TRANSITION_ECOLOGIQUE],
            nature=Nature.ACCOMPAGNEMENT,
            publics=[Public.PME, Public.TPE],
            stades=[Stade.DEVELOPPEMENT],
            direction="DPRE",
            statut=BROUILLON,
        ),
    ]
