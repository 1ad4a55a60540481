"""Demo catalogue: ~45 dispositifs written for this project (fictitious amounts and contacts).

They are inspired by the schemes the Région names in its 2022 diagnosis (Prêt croissance TPE,
Booster TPE, REHA, MOBI, INAC, Starter, Maison des Entrepreneurs, Proch'emploi, aid to innovative
and industrial start-ups, Team France Export, implantation, the proposed « Pass senior entreprise »)
but none of the texts, amounts or rules below is the Région's official wording: every name ends
with « (démo) » and every row has `demo=True`.

Idempotent: a dispositif is found again by its slug and only updated when something changed; the
writes go through the services, so the history says who (the demo instructeur) and why.
Dates are relative to the day the command runs, so there are always open, closed and future aids.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.referentiels import Nature, Operateur, Public, RegimeAide, Stade
from aides.catalogue.referentiels import Thematique as T
from aides.catalogue.services import dispositif as services
from portal.models import Direction, User
from territoires.models import EPCI, ConventionTerritoriale, TypeConvention

SUFFIXE = " (démo)"
AUTEUR_DEMO = "instructeur@demo.hautsdefrance.fr"
PUBLIE, BROUILLON, ARCHIVE = Dispositif.Statut.PUBLIE, Dispositif.Statut.BROUILLON, Dispositif.Statut.ARCHIVE
# Partner-run aids (Bpifrance, Réseau Entreprendre, ADIE) are applied for on the operator's site.
EXTERNE = Dispositif.ModaliteDepot.EXTERNE

# EPCI by SIREN (INSEE), to build coverages of a few intercommunalités.
BASSIN_MINIER = ["246200364", "246200299", "200072460", "200044618", "245901152"]  # Lens-Liévin, Hénin-Carvin...
THIERACHE = ["240200444", "200071983", "240200634"]  # Thiérache du Centre, Thiérache Sambre et Oise, Portes
SAMBRE_AVESNOIS = ["200043396", "200043263", "200043404"]  # Maubeuge Val de Sambre, Cœur et Sud Avesnois
LITTORAL = ["245900428", "200090751", "246200729"]  # Dunkerque, Grand Calais, Boulonnais
PASS_SENIOR = ["246200364", "200071892", "200043396"]  # Lens-Liévin, Saint-Quentinois, Maubeuge Val de Sambre

# French telephone numbers reserved by the ARCEP for fiction: nobody is called by mistake.
TEL = "03 53 01 00 {:02d}"

PIECES_BASE = ["Extrait Kbis ou avis de situation SIRENE de moins de 3 mois", "Relevé d'identité bancaire"]
PIECES_INVEST = [
    *PIECES_BASE,
    "Devis détaillés des investissements",
    "Derniers comptes annuels (bilan et compte de résultat)",
]
DECLARATION_DE_MINIMIS = "Déclaration des aides de minimis reçues sur les trois dernières années"
NAF_HORS_AGRI_FINANCE = ["A", "K", "L"]  # agriculture and fishing, finance, real estate


def texte(objectif: str, depenses: list[str], modalites: str, bon_a_savoir: str = "") -> str:
    """A description in the same Markdown shape for every demo aid."""
    lignes = [
        "### Objectif",
        "",
        objectif,
        "",
        "### Ce qui est financé",
        "",
        *[f"- {depense}" for depense in depenses],
        "",
        "### Modalités",
        "",
        modalites,
    ]
    if bon_a_savoir:
        lignes += ["", "### Bon à savoir", "", bon_a_savoir]
    lignes += [
        "",
        "*Fiche de démonstration rédigée pour le portail : montants et conditions sont fictifs. "
        "Les informations officielles sont sur [hautsdefrance.fr](https://www.hautsdefrance.fr).*",
    ]
    return "\n".join(lignes)


def catalogue(aujourdhui: date) -> list[dict]:
    """The demo dispositifs; `jours(n)` is a date n days from today (negative: in the past)."""

    def jours(n: int) -> date:
        return aujourdhui + timedelta(days=n)

    return [
        # --- Création et reprise ------------------------------------------------------------
        dict(
            nom="Starter – accompagnement des créateurs",
            resume="Un parcours d'accompagnement gratuit de 12 mois pour préparer, lancer et consolider "
            "une nouvelle entreprise, avec un conseiller attitré.",
            description=texte(
                "Aider les porteurs de projet à passer de l'idée à une entreprise viable : étude de marché, "
                "prévisionnel, choix du statut, recherche de financements, puis suivi des premiers mois.",
                [
                    "Ateliers collectifs (marché, juridique, financement, commercial)",
                    "Rendez-vous individuels avec un conseiller création",
                    "Suivi post-création pendant la première année d'activité",
                ],
                "Accompagnement sans frais pour le créateur, réalisé par le réseau d'opérateurs Starter "
                "coordonné par Hauts-de-France Innovation Développement.",
                "Starter oriente ensuite vers les prêts d'honneur et les garanties pour boucler le plan "
                "de financement.",
            ),
            thematiques=[T.CREATION_REPRISE],
            nature=Nature.ACCOMPAGNEMENT,
            publics=[Public.CREATEUR],
            stades=[Stade.CREATION],
            direction="DAEN",
            operateur=Operateur.HDFID,
            documents_requis=["Présentation du projet (une page)", "Pièce d'identité du porteur de projet"],
            contact_nom="Plateforme Starter",
        ),
        dict(
            nom="Maison des Entrepreneurs – premier accueil",
            resume="Un lieu unique dans chaque bassin pour être accueilli, orienté et mis en relation avec "
            "le bon réseau d'accompagnement, quel que soit son projet de création ou de reprise.",
            description=texte(
                "Simplifier l'entrée dans l'entrepreneuriat : un seul accueil au lieu de dix guichets, qui "
                "oriente vers la CCI, la CMA, BGE, les plateformes Initiative, France Active ou l'ADIE.",
                [
                    "Entretien d'accueil et diagnostic du projet",
                    "Orientation vers l'opérateur adapté et suivi de l'orientation",
                    "Permanences des partenaires et réunions d'information",
                ],
                "Service gratuit. Les Maisons des Entrepreneurs prennent le relais de l'ancien chéquier Starter.",
            ),
            thematiques=[T.CREATION_REPRISE, T.TPE_PROXIMITE],
            nature=Nature.ACCOMPAGNEMENT,
            publics=[Public.CREATEUR, Public.ARTISAN, Public.COMMERCANT],
            stades=[Stade.CREATION, Stade.TRANSMISSION],
            direction="DPEAP",
            operateur=Operateur.PARTENAIRE,
            operateur_nom="BGE Hauts-de-France, CCI et CMA Hauts-de-France",
            couvre_region=False,
            departements=["59", "62"],
            contact_nom="Maison des Entrepreneurs",
        ),
        dict(
            nom="Chéquier Starter",
            resume="Ancien dispositif de chèques-conseil pour les créateurs, remplacé par les Maisons des "
            "Entrepreneurs.",
            description=texte(
                "Financer des prestations de conseil choisies par le créateur dans un catalogue d'experts.",
                ["Chèques-conseil de 100 à 500 € pour des prestations d'expertise"],
                "Dispositif arrêté : les demandes ne sont plus acceptées.",
            ),
            thematiques=[T.CREATION_REPRISE],
            nature=Nature.ACCOMPAGNEMENT,
            publics=[Public.CREATEUR],
            stades=[Stade.CREATION],
            direction="DAEN",
            operateur=Operateur.HDFID,
            date_ouverture=date(2017, 1, 1),
            date_cloture=date(2022, 12, 31),
            statut=ARCHIVE,
        ),
        dict(
            nom="Prêt d'honneur création-reprise",
            resume="Un prêt personnel sans intérêt ni garantie, de 3 000 à 30 000 €, pour renforcer "
            "l'apport du créateur et faciliter l'obtention d'un prêt bancaire.",
            description=texte(
                "Donner au créateur ou au repreneur les fonds propres qui manquent pour convaincre sa banque.",
                [
                    "Apport personnel au capital de l'entreprise",
                    "Besoin en fonds de roulement de démarrage",
                    "Rachat de fonds de commerce ou de parts sociales",
                ],
                "Prêt personnel à taux zéro, remboursable sur 2 à 5 ans, accordé par un comité d'engagement "
                "de la plateforme Initiative du territoire, qui assure ensuite un parrainage.",
            ),
            thematiques=[T.CREATION_REPRISE],
            nature=Nature.PRET,
            publics=[Public.CREATEUR, Public.ARTISAN, Public.COMMERCANT],
            stades=[Stade.CREATION, Stade.TRANSMISSION],
            effectif_max=9,
            naf_exclus=["A", "K"],
            direction="DPEAP",
            operateur=Operateur.PARTENAIRE,
            operateur_nom="Initiative Hauts-de-France",
            montant_min=Decimal(3000),
            montant_max=Decimal(30000),
            regime=RegimeAide.DE_MINIMIS,
            documents_requis=[
                "Plan de financement et prévisionnel sur 3 ans",
                "Accord de principe ou demande de prêt bancaire",
                "Pièce d'identité",
            ],
            contact_nom="Initiative Hauts-de-France",
        ),
        dict(
            nom="Garantie création France Active",
            resume="Une garantie jusqu'à 80 % du prêt bancaire du créateur, pour éviter la caution "
            "personnelle et rassurer la banque.",
            description=texte(
                "Faciliter l'accès au crédit des créateurs, en particulier les demandeurs d'emploi et les "
                "entrepreneurs engagés (ESS).",
                ["Prêts bancaires de création ou de reprise jusqu'à 200 000 €"],
                "Garantie apportée par France Active Hauts-de-France sur un fonds doté par la Région, "
                "avec un accompagnement au montage du plan de financement.",
            ),
            thematiques=[T.CREATION_REPRISE],
            nature=Nature.GARANTIE,
            publics=[Public.CREATEUR, Public.ESS],
            stades=[Stade.CREATION, Stade.TRANSMISSION],
            effectif_max=49,
            naf_exclus=["A"],
            direction="DPEAP",
            operateur=Operateur.PARTENAIRE,
            operateur_nom="France Active Hauts-de-France",
            taux_max=Decimal(80),
            regime=RegimeAide.DE_MINIMIS,
            documents_requis=["Plan de financement", "Offre de prêt de la banque"],
        ),
        dict(
            nom="Prêt d'honneur Réseau Entreprendre",
            resume="Pour les créateurs et repreneurs de PME à fort potentiel d'emplois : un prêt d'honneur "
            "jusqu'à 50 000 € et deux ans d'accompagnement par un chef d'entreprise.",
            description=texte(
                "Soutenir les projets qui créeront au moins cinq emplois en trois ans.",
                ["Renforcement des fonds propres du dirigeant", "Reprise d'une PME"],
                "Prêt d'honneur à taux zéro de 15 000 à 50 000 €, sélection par un comité de chefs "
                "d'entreprise, accompagnement individuel et collectif pendant deux ans.",
            ),
            thematiques=[T.CREATION_REPRISE, T.EMPLOI_RH],
            nature=Nature.PRET,
            publics=[Public.CREATEUR, Public.PME],
            stades=[Stade.CREATION, Stade.TRANSMISSION],
            direction="DAEN",
            operateur=Operateur.PARTENAIRE,
            operateur_nom="Réseau Entreprendre Hauts-de-France",
            modalite_depot=EXTERNE,
            url_depot_externe="https://www.reseau-entreprendre.org/",
            montant_min=Decimal(15000),
            montant_max=Decimal(50000),
            regime=RegimeAide.DE_MINIMIS,
            documents_requis=["Dossier de candidature Réseau Entreprendre", "Prévisionnel sur 3 ans"],
        ),
        dict(
            nom="Microcrédit professionnel ADIE",
            resume="Un microcrédit jusqu'à 12 000 € pour les créateurs qui n'ont pas accès au crédit "
            "bancaire, avec un accompagnement gratuit.",
            description=texte(
                "Permettre à chacun, y compris sans apport ni historique bancaire, de créer son activité.",
                ["Matériel, stock de départ, véhicule, trésorerie de démarrage"],
                "Microcrédit de l'ADIE, complété le cas échéant d'un prêt d'honneur ; la Région finance "
                "l'accompagnement des créateurs.",
            ),
            thematiques=[T.CREATION_REPRISE, T.TPE_PROXIMITE],
            nature=Nature.PRET,
            publics=[Public.CREATEUR],
            stades=[Stade.CREATION],
            effectif_max=9,
            direction="DPEAP",
            operateur=Operateur.PARTENAIRE,
            operateur_nom="ADIE",
            modalite_depot=EXTERNE,
            url_depot_externe="https://www.adie.org/",
            montant_max=Decimal(12000),
            documents_requis=["Pièce d'identité", "Justificatif de domicile", "Budget du projet"],
        ),
        dict(
            nom="Transmission-reprise des entreprises artisanales",
            resume="Un accompagnement du cédant et du repreneur d'une entreprise artisanale : évaluation, "
            "recherche de repreneur, montage financier et prise en main.",
            description=texte(
                "Éviter que des entreprises artisanales saines ferment faute de repreneur.",
                [
                    "Diagnostic de transmissibilité et évaluation de l'entreprise",
                    "Mise en relation cédant-repreneur",
                    "Accompagnement du repreneur pendant la première année",
                ],
                "Accompagnement réalisé par la Chambre de métiers et de l'artisanat, gratuit pour "
                "l'entreprise grâce au financement de la Région.",
            ),
            thematiques=[T.CREATION_REPRISE, T.TPE_PROXIMITE],
            nature=Nature.ACCOMPAGNEMENT,
            publics=[Public.ARTISAN, Public.CREATEUR],
            stades=[Stade.TRANSMISSION],
            effectif_max=49,
            direction="DPEAP",
            operateur=Operateur.PARTENAIRE,
            operateur_nom="CMA Hauts-de-France",
        ),
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
        # --- Export et attractivité ---------------------------------------------------------
        dict(
            nom="Prospection export avec Team France Export",
            resume="Un conseiller international et une aide à la prospection pour les PME qui partent à "
            "la conquête d'un nouveau marché étranger.",
            description=texte(
                "Augmenter le nombre d'entreprises exportatrices en préparant chaque démarche.",
                [
                    "Missions de prospection et rendez-vous d'affaires",
                    "Études de marché",
                    "Traductions et adaptation des supports",
                ],
                "Accompagnement par un conseiller Team France Export (CCI et Business France) et "
                "subvention de 50 % des dépenses de prospection, jusqu'à 20 000 €.",
            ),
            thematiques=[T.EXPORT_ATTRACTIVITE],
            nature=Nature.SUBVENTION,
            publics=[Public.PME, Public.TPE, Public.STARTUP],
            stades=[Stade.DEVELOPPEMENT],
            naf_exclus=["A", "K"],
            direction="DPEAP",
            operateur=Operateur.PARTENAIRE,
            operateur_nom="Team France Export Hauts-de-France",
            montant_min=Decimal(3000),
            montant_max=Decimal(20000),
            taux_max=Decimal(50),
            regime=RegimeAide.DE_MINIMIS,
            documents_requis=[*PIECES_BASE, "Plan de prospection", "Devis des prestations", DECLARATION_DE_MINIMIS],
            contact_nom="Team France Export Hauts-de-France",
        ),
        dict(
            nom="Pavillon régional sur les salons internationaux",
            resume="Exposer sur le pavillon Hauts-de-France des grands salons internationaux, avec un "
            "stand clé en main à coût réduit.",
            description=texte(
                "Offrir une vitrine collective aux entreprises et à la Région.",
                ["Stand équipé", "Communication collective", "Préparation des rendez-vous"],
                "Prise en charge de 50 % du coût du stand, jusqu'à 8 000 € par salon.",
            ),
            thematiques=[T.EXPORT_ATTRACTIVITE],
            nature=Nature.SUBVENTION,
            publics=[Public.PME, Public.TPE, Public.STARTUP, Public.ETI],
            stades=[Stade.DEVELOPPEMENT],
            direction="DPEAP",
            operateur=Operateur.PARTENAIRE,
            operateur_nom="Team France Export Hauts-de-France",
            montant_max=Decimal(8000),
            taux_max=Decimal(50),
            regime=RegimeAide.DE_MINIMIS,
            date_ouverture=jours(-300),
            date_cloture=jours(-15),
            documents_requis=[*PIECES_BASE, "Bulletin d'inscription au salon"],
        ),
        dict(
            nom="Premier volontariat international en entreprise",
            resume="Une aide au coût du premier volontaire international (VIE) d'une PME pour s'implanter "
            "durablement sur un marché étranger.",
            description=texte(
                "Donner aux PME une présence commerciale à l'étranger sans créer de filiale.",
                ["Indemnité et frais de gestion du VIE pendant 12 mois"],
                "Subvention forfaitaire de 10 000 € pour un premier VIE.",
            ),
            thematiques=[T.EXPORT_ATTRACTIVITE, T.EMPLOI_RH],
            nature=Nature.SUBVENTION,
            publics=[Public.PME],
            stades=[Stade.DEVELOPPEMENT],
            effectif_max=249,
            direction="DPEAP",
            operateur=Operateur.PARTENAIRE,
            operateur_nom="Team France Export Hauts-de-France",
            montant_max=Decimal(10000),
            regime=RegimeAide.DE_MINIMIS,
            documents_requis=[*PIECES_BASE, "Contrat VIE", DECLARATION_DE_MINIMIS],
        ),
        dict(
            nom="Accueil des investisseurs étrangers",
            resume="Un accompagnement confidentiel des entreprises étrangères qui cherchent un site en "
            "Hauts-de-France : foncier, immobilier, recrutement, aides.",
            description=texte(
                "Faire de la région la première destination des investissements étrangers en France.",
                ["Recherche de sites et visites", "Mise en relation avec les EPCI", "Montage du plan de financement"],
                "Service gratuit de Nord France Invest, l'agence d'attractivité de la Région.",
            ),
            thematiques=[T.IMPLANTATION],
            nature=Nature.ACCOMPAGNEMENT,
            publics=[Public.PME, Public.ETI],
            stades=[Stade.DEVELOPPEMENT],
            direction="NFI",
            operateur=Operateur.PARTENAIRE,
            operateur_nom="Nord France Invest",
        ),
        # --- Emploi et ressources humaines --------------------------------------------------
        dict(
            nom="Proch'emploi – appui au recrutement",
            resume="Un conseiller Proch'emploi aide gratuitement les TPE et PME à définir le poste, "
            "trouver des candidats de leur territoire et réussir l'intégration.",
            description=texte(
                "Aider les entreprises sans service RH à recruter, et rapprocher les offres des "
                "demandeurs d'emploi de proximité.",
                [
                    "Définition du besoin et de la fiche de poste",
                    "Présélection de candidats avec France Travail et les partenaires",
                    "Suivi de l'intégration du salarié",
                ],
                "Service gratuit des plateformes Proch'emploi de la Région, présentes dans chaque bassin d'emploi.",
            ),
            thematiques=[T.EMPLOI_RH],
            nature=Nature.ACCOMPAGNEMENT,
            publics=[Public.TPE, Public.PME, Public.ARTISAN, Public.COMMERCANT, Public.ESS],
            stades=[Stade.DEVELOPPEMENT, Stade.CREATION],
            effectif_max=249,
            direction="DPRE",
            documents_requis=[],
            contact_nom="Plateformes Proch'emploi",
        ),
        dict(
            nom="Pass senior entreprise",
            resume="Expérimentation : une aide de 4 000 € aux entreprises qui embauchent, en CDI ou pour "
            "12 mois au moins, un demandeur d'emploi de 50 ans ou plus, sur trois territoires pilotes.",
            description=texte(
                "Plus de 30 % des demandeurs d'emploi de la région ont plus de 50 ans : la concertation de "
                "2022 a proposé un « Pass senior entreprise » pour faciliter leur retour à l'emploi.",
                ["Embauche en CDI ou CDD de 12 mois et plus d'un demandeur d'emploi de 50 ans ou plus"],
                "Aide forfaitaire de 4 000 € versée en deux fois (à l'embauche et après 12 mois), avec "
                "l'appui d'un conseiller Proch'emploi.",
                "Expérimentation sur trois intercommunalités pilotes avant une éventuelle généralisation.",
            ),
            thematiques=[T.EMPLOI_RH],
            nature=Nature.SUBVENTION,
            publics=[Public.TPE, Public.PME, Public.ARTISAN, Public.COMMERCANT, Public.ESS],
            stades=[Stade.DEVELOPPEMENT],
            effectif_max=249,
            couvre_region=False,
            epcis=PASS_SENIOR,
            direction="DPRE",
            montant_max=Decimal(4000),
            regime=RegimeAide.DE_MINIMIS,
            date_ouverture=jours(-20),
            date_cloture=jours(345),
            documents_requis=[
                *PIECES_BASE,
                "Contrat de travail signé",
                "Attestation d'inscription à France Travail du salarié",
            ],
        ),
        dict(
            nom="Groupements d'employeurs et RH partagée",
            resume="Une aide au démarrage des groupements d'employeurs et cellules RH partagées entre "
            "petites entreprises.",
            description=texte(
                "Donner aux petites entreprises des compétences qu'elles ne peuvent pas recruter seules "
                "(RH, qualité, innovation).",
                ["Salaire du premier poste partagé pendant 12 mois", "Ingénierie de création du groupement"],
                "Subvention dégressive sur deux ans, jusqu'à 30 000 €.",
            ),
            thematiques=[T.EMPLOI_RH],
            nature=Nature.SUBVENTION,
            publics=[Public.TPE, Public.PME, Public.ESS],
            stades=[Stade.DEVELOPPEMENT],
            direction="DPRE",
            montant_max=Decimal(30000),
            regime=RegimeAide.DE_MINIMIS,
            documents_requis=[*PIECES_BASE, "Statuts du groupement", "Budget prévisionnel du poste"],
        ),
        dict(
            nom="Emploi dans la Sambre-Avesnois",
            resume="Un appui renforcé aux entreprises de la Sambre-Avesnois qui recrutent des habitants "
            "éloignés de l'emploi.",
            description=texte(
                "Lever les freins au recrutement dans un territoire où le chômage reste élevé.",
                ["Formation préalable à l'embauche", "Tutorat en entreprise", "Mobilité des salariés recrutés"],
                "Accompagnement Proch'emploi et subvention jusqu'à 3 000 € par recrutement.",
            ),
            thematiques=[T.EMPLOI_RH, T.FORMATION],
            nature=Nature.SUBVENTION,
            publics=[Public.TPE, Public.PME],
            stades=[Stade.DEVELOPPEMENT],
            couvre_region=False,
            epcis=SAMBRE_AVESNOIS,
            direction="DPRE",
            montant_max=Decimal(3000),
            regime=RegimeAide.DE_MINIMIS,
            date_ouverture=jours(-500),
            date_cloture=jours(-60),
            documents_requis=[*PIECES_BASE, "Contrat de travail"],
        ),
        # --- Formation ----------------------------------------------------------------------
        dict(
            nom="Formation avant embauche",
            resume="Former sur mesure, avant leur embauche, des demandeurs d'emploi aux compétences dont "
            "l'entreprise a besoin.",
            description=texte(
                "Pourvoir les métiers en tension en formant les candidats au plus près du poste.",
                ["Coûts pédagogiques de 150 à 400 heures de formation", "Rémunération des stagiaires"],
                "Formation financée par la Région avec France Travail ; l'entreprise s'engage à recruter "
                "les stagiaires qui réussissent.",
            ),
            thematiques=[T.FORMATION, T.EMPLOI_RH],
            nature=Nature.ACCOMPAGNEMENT,
            publics=[Public.TPE, Public.PME, Public.ETI],
            stades=[Stade.DEVELOPPEMENT],
            direction="DFP",
            documents_requis=["Description des postes à pourvoir"],
        ),
        dict(
            nom="Compétences des salariés des TPE et PME",
            resume="Une aide au plan de formation des salariés des petites entreprises qui changent de "
            "technologie ou de métier.",
            description=texte(
                "Accompagner les transitions vers les métiers de demain.",
                ["Coûts pédagogiques", "Frais de déplacement des salariés en formation"],
                "Subvention de 50 % des coûts de formation, jusqu'à 25 000 €, en complément de l'OPCO.",
            ),
            thematiques=[T.FORMATION],
            nature=Nature.SUBVENTION,
            publics=[Public.TPE, Public.PME],
            stades=[Stade.DEVELOPPEMENT, Stade.DIFFICULTE],
            effectif_max=249,
            direction="DFP",
            montant_max=Decimal(25000),
            taux_max=Decimal(50),
            regime=RegimeAide.RGEC,
            regime_reference="RGEC (UE) 651/2014, article 31 (aides à la formation)",
            documents_requis=[*PIECES_BASE, "Plan de formation", "Devis des organismes de formation"],
        ),
        dict(
            nom="Parcours dirigeant de TPE",
            resume="Six mois de formation-action pour les dirigeants de TPE : stratégie, gestion, "
            "management et recrutement.",
            description=texte(
                "Outiller les dirigeants qui n'ont jamais été formés à la gestion d'une entreprise.",
                ["Ateliers collectifs", "Coaching individuel", "Échanges entre pairs"],
                "Reste à charge de 300 € pour l'entreprise ; parcours animé par la CCI.",
            ),
            thematiques=[T.FORMATION, T.TPE_PROXIMITE],
            nature=Nature.ACCOMPAGNEMENT,
            publics=[Public.TPE, Public.ARTISAN, Public.COMMERCANT],
            stades=[Stade.DEVELOPPEMENT, Stade.CREATION],
            effectif_max=9,
            direction="DFP",
            operateur=Operateur.PARTENAIRE,
            operateur_nom="CCI Hauts-de-France",
            date_ouverture=jours(-90),
            date_cloture=jours(60),
        ),
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


def _preparer(fiche: dict, rang: int, directions: dict[str, Direction], epcis: dict[str, EPCI]) -> dict:
    """From the table above to the services' arguments; a field left out gets its default, so a
    field removed from the table is also reset in the database on the next run."""
    donnees = {nom: Dispositif._meta.get_field(nom).get_default() for nom in services.CHAMPS_MODIFIABLES}
    donnees.update(fiche)
    donnees["nom"] = donnees["nom"] + SUFFIXE
    donnees["direction"] = directions[donnees["direction"]]
    donnees["epcis"] = [epcis[siren] for siren in donnees.get("epcis", [])]
    donnees.setdefault("departements", [])
    donnees["contact_nom"] = donnees["contact_nom"] or "Hauts-de-France Entreprises"
    donnees["contact_email"] = donnees["contact_email"] or f"aide{rang:02d}@demo.hautsdefrance.fr"
    donnees["contact_telephone"] = donnees["contact_telephone"] or TEL.format(rang)
    donnees["demo"] = True
    return donnees


# Region-wide aids to small businesses that the EPCI co-finance under their « aides aux entreprises »
# convention (loi NOTRe): covered by every such convention.
COUVERTS_PAR_TOUTES_LES_CONVENTIONS = ["Booster TPE", "REHA – rénovation des locaux", "Dernier commerce de village"]


def _rattacher_aux_conventions(par: User | None, stdout) -> None:
    """Link demo dispositifs to the demo « aides aux entreprises » conventions that cover them: those
    of the EPCI they cover, and all of them for the aids listed above. Only adds links (a link made by
    hand stays), so a second run changes nothing."""
    conventions_par_epci: dict[int, set[int]] = {}
    for pk, epci_id in ConventionTerritoriale.objects.filter(demo=True, type=TypeConvention.AIDES).values_list(
        "pk", "epci_id"
    ):
        conventions_par_epci.setdefault(epci_id, set()).add(pk)
    if not conventions_par_epci:
        return  # territoires' demo did not run
    toutes = set().union(*conventions_par_epci.values())
    liens = 0
    dispositifs = (
        Dispositif.objects.filter(demo=True)
        .exclude(statut=ARCHIVE)
        .prefetch_related("epcis", "conventions_territoriales")
        .order_by("pk")
    )
    for dispositif in dispositifs:
        if any(dispositif.nom.startswith(nom) for nom in COUVERTS_PAR_TOUTES_LES_CONVENTIONS):
            cibles = toutes
        else:
            cibles = set().union(*(conventions_par_epci.get(epci.pk, set()) for epci in dispositif.epcis.all()))
        actuelles = {convention.pk for convention in dispositif.conventions_territoriales.all()}
        if cibles - actuelles:
            services.dispositif_modifier(dispositif=dispositif, par=par, conventions_territoriales=actuelles | cibles)
            liens += len(cibles - actuelles)
    stdout.write(f"  rattachement aux conventions EPCI de démonstration : {liens} liens ajoutés")


def charger(stdout) -> None:
    aujourdhui = timezone.localdate()
    par = User.objects.filter(email=AUTEUR_DEMO).first()
    directions = {d.code: d for d in Direction.objects.all()}
    epcis = {e.siren: e for e in EPCI.objects.defer("contour")}
    crees = modifies = 0
    for rang, fiche in enumerate(catalogue(aujourdhui), start=1):
        donnees = _preparer(fiche, rang, directions, epcis)
        statut = donnees.pop("statut", PUBLIE)
        existant = Dispositif.objects.filter(slug=slugify(donnees["nom"])).first()
        if existant is None:
            dispositif = services.dispositif_creer(par=par, **donnees)
            crees += 1
            if statut in (PUBLIE, ARCHIVE):
                services.dispositif_publier(dispositif=dispositif, par=par)
            if statut == ARCHIVE:
                services.dispositif_archiver(dispositif=dispositif, par=par)
        elif existant.statut != ARCHIVE:
            # An edit made by hand on the demo (unpublishing, for instance) is kept; the texts are refreshed.
            avant = existant.modifie_le
            dispositif = services.dispositif_modifier(dispositif=existant, par=par, **donnees)
            modifies += dispositif.modifie_le != avant
    total = Dispositif.objects.filter(demo=True).count()
    stdout.write(f"  catalogue de démonstration : {total} dispositifs ({crees} créés, {modifies} mis à jour)")
    _rattacher_aux_conventions(par, stdout)

    # Demo applications in several states, on the catalogue above.
    from aides.demandes.demo import charger as charger_demandes

    charger_demandes(stdout)

    # Demo conventions (signature circuit, payments, FEDER) on the granted applications above.
    from aides.conventions.demo import charger as charger_conventions

    charger_conventions(stdout)
    # Rows written in bulk bypass the services: count them in the CRM's « déjà accompagnée » at once.
    from aides.extensions.accompagnement import accompagnements_remplir

    accompagnements_remplir()

    # Alerts and an aid imported from Aides-territoires.
    from aides.demandes.demo_alertes import charger as charger_alertes

    charger_alertes(stdout)

    # Demo payment requests, final reports, repayments (issue 17) on the conventions above.
    from aides.conventions.demo_paiement import charger as charger_paiements

    charger_paiements(stdout)
