"""Demo dispositifs: tpe et économie de proximité (fictitious amounts and contacts)."""

from decimal import Decimal

from aides.catalogue.demo.textes import (
    DECLARATION_DE_MINIMIS,
    EXTERNE,
    NAF_HORS_AGRI_FINANCE,
    PIECES_BASE,
    PIECES_INVEST,
    THIERACHE,
    texte,
)
from aides.catalogue.referentiels import Nature, Operateur, Public, RegimeAide, Stade
from aides.catalogue.referentiels import Thematique as T


def dispositifs(jours) -> list[dict]:
    """`jours(n)`: the date n days from today (negative: in the past)."""
    return [
        # --- TPE et économie de proximité ---------------------------------------------------
        dict(
            nom="Prêt croissance TPE",
            resume="Un prêt sans garantie ni caution de 10 000 à 50 000 € pour financer le développement "
            "des TPE de plus de trois ans, en complément d'un prêt bancaire.",
            description=texte(
                "Financer ce que les banques financent mal : l'immatériel, le besoin en fonds de roulement "
                "lié à la croissance, les investissements de modernisation.",
                [
                    "Investissements matériels et immatériels (site, logiciel, recrutement d'un commercial)",
                    "Augmentation du besoin en fonds de roulement",
                    "Travaux d'aménagement",
                ],
                "Prêt à taux zéro sur 5 ans dont 1 an de différé, sans garantie personnelle, couplé à un "
                "prêt bancaire au moins équivalent. Instruction par Bpifrance pour le compte de la Région.",
            ),
            thematiques=[T.TPE_PROXIMITE],
            nature=Nature.PRET,
            publics=[Public.TPE, Public.ARTISAN, Public.COMMERCANT],
            stades=[Stade.DEVELOPPEMENT],
            effectif_max=9,
            naf_exclus=NAF_HORS_AGRI_FINANCE,
            direction="DAEN",
            operateur=Operateur.BPIFRANCE,
            modalite_depot=EXTERNE,
            url_depot_externe="https://www.bpifrance.fr/",
            montant_min=Decimal(10000),
            montant_max=Decimal(50000),
            regime=RegimeAide.DE_MINIMIS,
            eligible_feder=True,
            documents_requis=[*PIECES_INVEST, "Offre de prêt bancaire associée", DECLARATION_DE_MINIMIS],
            contact_nom="Bpifrance – direction régionale de Lille",
        ),
        dict(
            nom="Booster TPE",
            resume="Une subvention de 20 % des investissements des TPE qui se développent, jusqu'à "
            "20 000 €, majorée quand le projet crée un emploi.",
            description=texte(
                "Donner un coup d'accélérateur aux très petites entreprises qui investissent pour grandir.",
                [
                    "Matériel de production, équipement professionnel",
                    "Aménagement du local d'activité",
                    "Logiciels et outils numériques liés au projet",
                ],
                "Subvention de 20 % des dépenses éligibles (30 % si un emploi est créé), pour un programme "
                "de 10 000 € HT au moins. Versement sur factures acquittées.",
                "Le projet ne doit pas avoir commencé avant le dépôt de la demande.",
            ),
            thematiques=[T.TPE_PROXIMITE],
            nature=Nature.SUBVENTION,
            publics=[Public.TPE, Public.ARTISAN, Public.COMMERCANT],
            stades=[Stade.DEVELOPPEMENT],
            effectif_min=1,
            effectif_max=9,
            naf_exclus=NAF_HORS_AGRI_FINANCE,
            direction="DAEN",
            montant_min=Decimal(2000),
            montant_max=Decimal(20000),
            taux_max=Decimal(30),
            regime=RegimeAide.DE_MINIMIS,
            eligible_feder=True,
            documents_requis=[*PIECES_INVEST, DECLARATION_DE_MINIMIS],
            contact_nom="Direction de l'action économique",
        ),
        dict(
            nom="REHA – rénovation des locaux des artisans et commerçants",
            resume="Une aide aux artisans et commerçants qui rénovent leur local, leur vitrine ou leur "
            "accessibilité, dans les centres-villes et centres-bourgs.",
            description=texte(
                "Garder des commerces et ateliers vivants et accueillants au cœur des villes et villages.",
                [
                    "Rénovation de façade et de vitrine",
                    "Mise en accessibilité pour les personnes handicapées",
                    "Aménagement intérieur et sécurisation du local",
                ],
                "Subvention de 30 % des travaux HT, de 1 500 à 15 000 €. Cumulable avec l'aide de la "
                "commune ou de l'EPCI lorsqu'une convention existe.",
            ),
            thematiques=[T.TPE_PROXIMITE],
            nature=Nature.SUBVENTION,
            publics=[Public.ARTISAN, Public.COMMERCANT, Public.TPE],
            stades=[Stade.DEVELOPPEMENT, Stade.TRANSMISSION],
            effectif_max=9,
            naf_inclus=["G", "I", "S", "10.71C", "10.13B"],
            direction="DPEAP",
            montant_min=Decimal(1500),
            montant_max=Decimal(15000),
            taux_max=Decimal(30),
            regime=RegimeAide.DE_MINIMIS,
            documents_requis=[*PIECES_INVEST, "Photos du local avant travaux", DECLARATION_DE_MINIMIS],
        ),
        dict(
            nom="MOBI – véhicules utilitaires des artisans",
            resume="Une aide à l'achat d'un véhicule utilitaire neuf ou d'occasion moins polluant pour les "
            "artisans et commerçants non sédentaires.",
            description=texte(
                "Répondre au besoin de matériel roulant, mal couvert par les autres aides, tout en "
                "accélérant le passage à des motorisations propres.",
                [
                    "Véhicule utilitaire électrique, hydrogène, GNV ou hybride rechargeable",
                    "Véhicule d'occasion de moins de 5 ans répondant aux mêmes critères",
                    "Aménagement du véhicule (étagères, froid)",
                ],
                "Subvention forfaitaire de 3 000 € (5 000 € pour un véhicule électrique neuf), une fois par "
                "entreprise sur trois ans.",
            ),
            thematiques=[T.TPE_PROXIMITE, T.TRANSITION_ECOLOGIQUE],
            nature=Nature.SUBVENTION,
            publics=[Public.ARTISAN, Public.COMMERCANT],
            stades=[Stade.DEVELOPPEMENT],
            effectif_max=9,
            naf_exclus=["A", "49.32Z"],
            direction="DAEN",
            montant_min=Decimal(3000),
            montant_max=Decimal(5000),
            regime=RegimeAide.DE_MINIMIS,
            documents_requis=[*PIECES_BASE, "Bon de commande ou facture pro forma du véhicule", DECLARATION_DE_MINIMIS],
        ),
        dict(
            nom="INAC – investissement numérique des artisans et commerçants",
            resume="Une subvention de 50 % des dépenses numériques des petits commerces et ateliers : "
            "site marchand, caisse connectée, prise de rendez-vous en ligne.",
            description=texte(
                "Aider les commerces et ateliers de proximité à vendre et à être trouvés en ligne.",
                [
                    "Création ou refonte d'un site vitrine ou marchand",
                    "Logiciel de caisse, de gestion de stock ou de prise de rendez-vous",
                    "Matériel informatique lié au projet",
                    "Formation du dirigeant aux outils",
                ],
                "Subvention de 50 % des dépenses HT, de 500 à 5 000 €. Dépôt en ligne, instruction "
                "simplifiée sur pièces.",
                "Le dispositif a connu une très forte demande : un accusé de réception indique le délai "
                "d'instruction prévisible.",
            ),
            thematiques=[T.NUMERIQUE, T.TPE_PROXIMITE],
            nature=Nature.SUBVENTION,
            publics=[Public.ARTISAN, Public.COMMERCANT, Public.TPE],
            stades=[Stade.DEVELOPPEMENT, Stade.CREATION],
            effectif_max=9,
            naf_exclus=NAF_HORS_AGRI_FINANCE,
            direction="DAEN",
            montant_min=Decimal(500),
            montant_max=Decimal(5000),
            taux_max=Decimal(50),
            regime=RegimeAide.DE_MINIMIS,
            documents_requis=[*PIECES_BASE, "Devis du prestataire numérique", DECLARATION_DE_MINIMIS],
        ),
        dict(
            nom="Dernier commerce de village",
            resume="Pour maintenir ou rouvrir le dernier commerce alimentaire ou multiservice d'une commune "
            "rurale de l'Aisne.",
            description=texte(
                "Préserver un service essentiel dans les villages qui n'ont plus qu'un commerce, ou plus aucun.",
                ["Reprise du fonds, travaux, équipement frigorifique, stock initial"],
                "Subvention de 40 % des dépenses, jusqu'à 25 000 €, en complément de l'aide de la commune "
                "ou de l'EPCI. Communes de moins de 2 000 habitants.",
            ),
            thematiques=[T.TPE_PROXIMITE, T.CREATION_REPRISE],
            nature=Nature.SUBVENTION,
            publics=[Public.COMMERCANT, Public.CREATEUR],
            stades=[Stade.CREATION, Stade.TRANSMISSION, Stade.DEVELOPPEMENT],
            effectif_max=9,
            naf_inclus=["47.11B", "47.11C", "47.24Z", "56.30Z"],
            couvre_region=False,
            departements=["02"],
            direction="DPEAP",
            montant_max=Decimal(25000),
            taux_max=Decimal(40),
            regime=RegimeAide.DE_MINIMIS,
            documents_requis=[*PIECES_INVEST, "Délibération de la commune ou de l'EPCI"],
        ),
        dict(
            nom="Métiers d'art de la Somme",
            resume="Une aide aux ateliers des métiers d'art de la Somme pour s'équiper, exposer et "
            "transmettre leur savoir-faire.",
            description=texte(
                "Soutenir un artisanat d'excellence qui fait vivre le patrimoine et le tourisme.",
                ["Outillage spécifique", "Participation à un salon des métiers d'art", "Accueil d'un apprenti"],
                "Subvention de 40 % des dépenses, jusqu'à 8 000 €.",
            ),
            thematiques=[T.TPE_PROXIMITE],
            nature=Nature.SUBVENTION,
            publics=[Public.ARTISAN],
            stades=[Stade.DEVELOPPEMENT],
            effectif_max=9,
            couvre_region=False,
            departements=["80"],
            direction="DPEAP",
            operateur=Operateur.PARTENAIRE,
            operateur_nom="CMA Hauts-de-France – Somme",
            montant_max=Decimal(8000),
            taux_max=Decimal(40),
            regime=RegimeAide.DE_MINIMIS,
            date_ouverture=jours(-400),
            date_cloture=jours(-30),
            documents_requis=[*PIECES_INVEST, "Justificatif d'inscription au répertoire des métiers"],
        ),
        dict(
            nom="Fonds de consolidation de l'ESS",
            resume="Des prêts participatifs et des apports en fonds propres pour les associations, SCOP, "
            "SCIC et entreprises solidaires qui se développent.",
            description=texte(
                "Renforcer la structure financière des entreprises de l'économie sociale et solidaire.",
                [
                    "Investissements de développement",
                    "Restructuration du haut de bilan",
                    "Besoin en fonds de roulement",
                ],
                "Prêt participatif ou titre associatif de 10 000 à 100 000 €, sur 5 à 7 ans, instruit par "
                "France Active.",
            ),
            thematiques=[T.TPE_PROXIMITE, T.EMPLOI_RH],
            nature=Nature.FONDS_PROPRES,
            publics=[Public.ESS],
            stades=[Stade.DEVELOPPEMENT, Stade.DIFFICULTE],
            direction="DPEAP",
            operateur=Operateur.PARTENAIRE,
            operateur_nom="France Active Hauts-de-France",
            montant_min=Decimal(10000),
            montant_max=Decimal(100000),
            regime=RegimeAide.DE_MINIMIS,
            documents_requis=[*PIECES_INVEST, "Statuts et agrément ESUS le cas échéant"],
        ),
        dict(
            nom="Aide directe aux TPE du Pays de Saint-Omer",
            resume="Aide à l'investissement des TPE cofinancée par la Région et la Communauté "
            "d'agglomération du Pays de Saint-Omer, dans le cadre de leur convention.",
            description=texte(
                "Mutualiser l'aide de la Région et de l'agglomération pour un seul dossier et une seule décision.",
                ["Investissements matériels et immobiliers des TPE du territoire"],
                "Subvention de 20 % (10 % Région, 10 % agglomération), jusqu'à 15 000 €.",
                "Un dossier unique, instruit par le chargé de mission territorial de la Région.",
            ),
            thematiques=[T.TPE_PROXIMITE],
            nature=Nature.SUBVENTION,
            publics=[Public.TPE, Public.ARTISAN, Public.COMMERCANT],
            stades=[Stade.DEVELOPPEMENT],
            effectif_max=9,
            naf_exclus=NAF_HORS_AGRI_FINANCE,
            couvre_region=False,
            epcis=["200069037"],
            direction="DAEN",
            montant_max=Decimal(15000),
            taux_max=Decimal(20),
            regime=RegimeAide.DE_MINIMIS,
            documents_requis=[*PIECES_INVEST, DECLARATION_DE_MINIMIS],
        ),
        dict(
            nom="Commerce et artisanat en Thiérache",
            resume="Un fonds territorial pour les commerçants et artisans des trois intercommunalités de "
            "Thiérache, avec un accompagnement de proximité.",
            description=texte(
                "Soutenir l'économie de proximité d'un territoire rural peu doté en ingénierie.",
                ["Modernisation du point de vente", "Équipement de l'atelier", "Reprise d'un commerce"],
                "Subvention de 30 %, jusqu'à 10 000 €, avec visite préalable de la CCI ou de la CMA.",
            ),
            thematiques=[T.TPE_PROXIMITE],
            nature=Nature.SUBVENTION,
            publics=[Public.COMMERCANT, Public.ARTISAN],
            stades=[Stade.DEVELOPPEMENT, Stade.TRANSMISSION],
            effectif_max=9,
            couvre_region=False,
            epcis=THIERACHE,
            direction="DAEN",
            montant_max=Decimal(10000),
            taux_max=Decimal(30),
            regime=RegimeAide.DE_MINIMIS,
            date_ouverture=jours(-200),
            date_cloture=jours(160),
            documents_requis=[*PIECES_INVEST, DECLARATION_DE_MINIMIS],
        ),
    ]
