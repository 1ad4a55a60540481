"""Demo dispositifs: innovation, filières et industrie (fictitious amounts and contacts)."""

from decimal import Decimal

from aides.catalogue.demo.textes import (
    BASSIN_MINIER,
    EXTERNE,
    LITTORAL,
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
        # --- Innovation ---------------------------------------------------------------------
        dict(
            nom="Aide à la création d'entreprises innovantes et industrielles",
            resume="Une avance remboursable jusqu'à 100 000 € pour les jeunes entreprises innovantes ou "
            "industrielles de moins de 5 ans, que les EPCI peuvent compléter.",
            description=texte(
                "Amorcer les entreprises dont le projet industriel ou innovant demande des moyens avant les "
                "premiers revenus.",
                ["Prototypes et premières séries", "Recrutement des premiers salariés", "Propriété intellectuelle"],
                "Avance remboursable à taux zéro de 30 000 à 100 000 €, remboursable sur 5 ans après 2 ans "
                "de différé. Les EPCI ayant signé une convention d'aides avec la Région peuvent intervenir "
                "à ses côtés.",
            ),
            thematiques=[T.INNOVATION, T.CREATION_REPRISE, T.FILIERES],
            nature=Nature.AVANCE_REMBOURSABLE,
            publics=[Public.STARTUP, Public.CREATEUR, Public.PME],
            stades=[Stade.CREATION],
            effectif_max=49,
            naf_exclus=NAF_HORS_AGRI_FINANCE,
            direction="DAEN",
            montant_min=Decimal(30000),
            montant_max=Decimal(100000),
            regime=RegimeAide.RGEC,
            regime_reference="RGEC (UE) 651/2014, article 22 (jeunes pousses)",
            eligible_feder=True,
            documents_requis=[*PIECES_INVEST, "Plan d'affaires et prévisionnel sur 3 ans", "Table de capitalisation"],
        ),
        dict(
            nom="Prêt d'amorçage innovation",
            resume="Un prêt sans garantie de 50 000 à 300 000 € pour préparer une levée de fonds de "
            "start-up, en partenariat avec Bpifrance.",
            description=texte(
                "Tenir jusqu'à la levée de fonds en finançant les derniers développements.",
                ["Développement produit", "Recrutements clés", "Premiers déploiements commerciaux"],
                "Prêt à taux préférentiel sur 8 ans dont 3 ans de différé, adossé à une levée de fonds "
                "prévue dans les 18 mois.",
            ),
            thematiques=[T.INNOVATION],
            nature=Nature.PRET,
            publics=[Public.STARTUP],
            stades=[Stade.CREATION, Stade.DEVELOPPEMENT],
            effectif_max=49,
            direction="DIPI",
            operateur=Operateur.BPIFRANCE,
            modalite_depot=EXTERNE,
            url_depot_externe="https://www.bpifrance.fr/",
            montant_min=Decimal(50000),
            montant_max=Decimal(300000),
            regime=RegimeAide.RGEC,
            regime_reference="RGEC (UE) 651/2014, article 22",
            documents_requis=[*PIECES_BASE, "Plan d'affaires", "Lettre d'intention des investisseurs"],
        ),
        dict(
            nom="Diagnostic innovation",
            resume="Deux à cinq jours d'expert pour faire le point sur un projet d'innovation, sa "
            "faisabilité et son financement, pris en charge à 100 %.",
            description=texte(
                "Commencer par un diagnostic de départ avant tout financement, comme l'a proposé la "
                "concertation de 2022.",
                ["Analyse du projet et de la structure financière", "Plan d'action et orientation vers les aides"],
                "Prestation réalisée par un chargé d'affaires de Hauts-de-France Innovation Développement, "
                "sans frais pour l'entreprise.",
            ),
            thematiques=[T.INNOVATION],
            nature=Nature.ACCOMPAGNEMENT,
            publics=[Public.TPE, Public.PME, Public.ARTISAN, Public.STARTUP],
            stades=[Stade.DEVELOPPEMENT, Stade.CREATION],
            effectif_max=249,
            direction="HDFID",
            operateur=Operateur.HDFID,
        ),
        dict(
            nom="Projets de R&D collaboratifs",
            resume="Une subvention aux PME et ETI qui mènent un projet de recherche et développement avec "
            "un laboratoire ou d'autres entreprises de la région.",
            description=texte(
                "Rapprocher les entreprises et les laboratoires, et porter des projets à fort impact.",
                [
                    "Frais de personnel de R&D",
                    "Prestations des laboratoires et plateformes de transfert",
                    "Équipements amortis sur la durée du projet",
                ],
                "Subvention de 25 à 45 % des dépenses selon la taille de l'entreprise et la nature des "
                "travaux (recherche industrielle ou développement expérimental), jusqu'à 500 000 €.",
            ),
            thematiques=[T.INNOVATION, T.FILIERES],
            nature=Nature.SUBVENTION,
            publics=[Public.PME, Public.ETI, Public.STARTUP],
            stades=[Stade.DEVELOPPEMENT],
            direction="DIPI",
            operateur=Operateur.HDFID,
            montant_min=Decimal(50000),
            montant_max=Decimal(500000),
            taux_max=Decimal(45),
            regime=RegimeAide.RGEC,
            regime_reference="RGEC (UE) 651/2014, article 25 (projets de R&D)",
            eligible_feder=True,
            date_ouverture=jours(-60),
            date_cloture=jours(90),
            documents_requis=[
                *PIECES_BASE,
                "Annexe technique du projet",
                "Accord de consortium",
                "Budget par partenaire",
            ],
        ),
        dict(
            nom="Fonds d'amorçage régional",
            resume="Une prise de participation minoritaire de 100 000 à 1 million d'euros dans les "
            "start-up technologiques régionales, aux côtés d'investisseurs privés.",
            description=texte(
                "Combler le manque de capital au stade de l'amorçage.",
                ["Premier tour de table d'une start-up technologique"],
                "Investissement en fonds propres ou quasi-fonds propres, toujours avec un co-investisseur "
                "privé, par une société de gestion mandatée par la Région.",
            ),
            thematiques=[T.INNOVATION],
            nature=Nature.FONDS_PROPRES,
            publics=[Public.STARTUP],
            stades=[Stade.CREATION, Stade.DEVELOPPEMENT],
            effectif_max=49,
            direction="DIPI",
            operateur=Operateur.PARTENAIRE,
            operateur_nom="Société de gestion du fonds régional d'amorçage",
            montant_min=Decimal(100000),
            montant_max=Decimal(1000000),
            regime=RegimeAide.RGEC,
            regime_reference="RGEC (UE) 651/2014, article 21 (financement des risques)",
            documents_requis=["Présentation investisseurs", "Table de capitalisation", "Comptes et prévisionnel"],
        ),
        # --- Filières et industrie ----------------------------------------------------------
        dict(
            nom="Industrie du futur – investissement productif",
            resume="Une subvention aux PME industrielles qui modernisent leur outil de production : "
            "robotique, automatisation, jumeau numérique, efficacité matière.",
            description=texte(
                "Rendre l'industrie régionale plus compétitive et plus sobre.",
                ["Machines et lignes de production", "Robots et cobots", "Logiciels de pilotage de la production"],
                "Subvention de 10 % (moyenne entreprise) à 20 % (petite entreprise) des investissements, "
                "jusqu'à 200 000 €, pour un programme de 100 000 € au moins.",
            ),
            thematiques=[T.FILIERES, T.NUMERIQUE],
            nature=Nature.SUBVENTION,
            publics=[Public.PME],
            stades=[Stade.DEVELOPPEMENT],
            effectif_min=10,
            effectif_max=249,
            naf_inclus=["C"],
            direction="DIPI",
            montant_min=Decimal(10000),
            montant_max=Decimal(200000),
            taux_max=Decimal(20),
            regime=RegimeAide.RGEC,
            regime_reference="RGEC (UE) 651/2014, article 17 (investissement des PME)",
            eligible_feder=True,
            documents_requis=[*PIECES_INVEST, "Description technique du programme d'investissement"],
        ),
        dict(
            nom="Agroalimentaire : modernisation des ateliers de transformation",
            resume="Pour les PME de la transformation alimentaire qui investissent dans l'hygiène, la "
            "productivité ou de nouveaux produits.",
            description=texte(
                "Accompagner la première filière industrielle régionale dans sa montée en gamme.",
                [
                    "Équipements de transformation et de conditionnement",
                    "Mise aux normes sanitaires",
                    "Froid industriel",
                ],
                "Subvention de 15 à 25 % selon la taille, jusqu'à 150 000 €.",
            ),
            thematiques=[T.FILIERES],
            nature=Nature.SUBVENTION,
            publics=[Public.PME, Public.TPE],
            stades=[Stade.DEVELOPPEMENT],
            effectif_max=249,
            naf_inclus=["10", "11"],
            direction="DPEAP",
            montant_max=Decimal(150000),
            taux_max=Decimal(25),
            regime=RegimeAide.RGEC,
            regime_reference="RGEC (UE) 651/2014, article 17",
            documents_requis=PIECES_INVEST,
        ),
        dict(
            nom="Aide à l'implantation et à l'extension",
            resume="Une aide à l'investissement des entreprises qui s'implantent ou s'agrandissent dans "
            "la région en créant des emplois.",
            description=texte(
                "Attirer les projets d'implantation, français comme étrangers, et soutenir les extensions de "
                "sites créatrices d'emplois.",
                ["Bâtiments et terrains", "Équipements de production", "Investissements immatériels liés"],
                "Subvention ou avance remboursable, modulée selon l'emploi créé et la zone (aides à "
                "finalité régionale), jusqu'à 1 500 000 €.",
                "Les projets d'entreprises étrangères sont accompagnés par Nord France Invest.",
            ),
            thematiques=[T.IMPLANTATION, T.FILIERES, T.EMPLOI_RH],
            nature=Nature.SUBVENTION,
            publics=[Public.PME, Public.ETI],
            stades=[Stade.DEVELOPPEMENT],
            effectif_min=10,
            naf_exclus=NAF_HORS_AGRI_FINANCE,
            direction="DAEN",
            montant_min=Decimal(50000),
            montant_max=Decimal(1500000),
            taux_max=Decimal(30),
            regime=RegimeAide.RGEC,
            regime_reference="RGEC (UE) 651/2014, article 14 (aides à finalité régionale) ou article 17",
            eligible_feder=True,
            documents_requis=[*PIECES_INVEST, "Plan de recrutement sur 3 ans", "Permis de construire le cas échéant"],
        ),
        dict(
            nom="Revitalisation du bassin minier",
            resume="Une aide renforcée aux investissements créateurs d'emplois dans cinq "
            "intercommunalités de l'ancien bassin minier.",
            description=texte(
                "Accélérer la reconversion économique du bassin minier.",
                ["Investissements productifs", "Reprise de sites industriels", "Création d'emplois durables"],
                "Subvention de 20 % majorée de 5 000 € par emploi créé, jusqu'à 300 000 €.",
            ),
            thematiques=[T.FILIERES, T.EMPLOI_RH],
            nature=Nature.SUBVENTION,
            publics=[Public.PME, Public.TPE],
            stades=[Stade.DEVELOPPEMENT, Stade.TRANSMISSION],
            couvre_region=False,
            epcis=BASSIN_MINIER,
            direction="DAEN",
            montant_max=Decimal(300000),
            taux_max=Decimal(20),
            regime=RegimeAide.RGEC,
            regime_reference="RGEC (UE) 651/2014, article 14",
            eligible_feder=True,
            documents_requis=[*PIECES_INVEST, "Plan de recrutement"],
        ),
        dict(
            nom="Filière maritime et produits de la mer",
            resume="Pour les entreprises du mareyage et de la transformation des produits de la mer du "
            "littoral : équipement, qualité, traçabilité.",
            description=texte(
                "Conforter la filière halieutique de Boulogne-sur-Mer à Dunkerque.",
                ["Équipements de transformation", "Traçabilité et qualité", "Économies d'énergie dans le froid"],
                "Subvention de 20 %, jusqu'à 100 000 €.",
            ),
            thematiques=[T.FILIERES],
            nature=Nature.SUBVENTION,
            publics=[Public.PME, Public.TPE],
            stades=[Stade.DEVELOPPEMENT],
            naf_inclus=["10.20Z", "46.38A"],
            couvre_region=False,
            epcis=LITTORAL,
            direction="DPEAP",
            montant_max=Decimal(100000),
            taux_max=Decimal(20),
            regime=RegimeAide.RGEC,
            regime_reference="RGEC (UE) 651/2014, article 17",
            documents_requis=PIECES_INVEST,
        ),
        dict(
            nom="Appel à projets Industrie du futur 2027",
            resume="Appel à projets pour des démonstrateurs industriels associant entreprises, "
            "plateformes technologiques et laboratoires.",
            description=texte(
                "Faire émerger des démonstrateurs qui montrent la voie à toute une filière.",
                ["Démonstrateurs industriels", "Prestations de plateformes de transfert", "Frais de personnel"],
                "Subvention jusqu'à 50 % selon les règles de la R&D, candidature en deux temps (lettre "
                "d'intention puis dossier complet).",
            ),
            thematiques=[T.FILIERES, T.INNOVATION],
            nature=Nature.SUBVENTION,
            publics=[Public.PME, Public.ETI],
            stades=[Stade.DEVELOPPEMENT],
            naf_inclus=["C"],
            direction="DIPI",
            montant_max=Decimal(400000),
            taux_max=Decimal(50),
            regime=RegimeAide.RGEC,
            regime_reference="RGEC (UE) 651/2014, article 25",
            eligible_feder=True,
            date_ouverture=jours(45),
            date_cloture=jours(200),
            documents_requis=[*PIECES_BASE, "Lettre d'intention", "Annexe technique et financière"],
        ),
    ]
