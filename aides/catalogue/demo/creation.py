"""Demo dispositifs: création et reprise (fictitious amounts and contacts)."""

from datetime import date
from decimal import Decimal

from aides.catalogue.demo.textes import ARCHIVE, EXTERNE, texte
from aides.catalogue.referentiels import Nature, Operateur, Public, RegimeAide, Stade
from aides.catalogue.referentiels import Thematique as T


def dispositifs(jours) -> list[dict]:
    """`jours(n)`: the date n days from today (negative: in the past)."""
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
    ]
