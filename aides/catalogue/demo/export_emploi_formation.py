"""Demo dispositifs: export et attractivité, emploi et ressources humaines, formation (fictitious
amounts and contacts)."""

from decimal import Decimal

from aides.catalogue.demo.textes import DECLARATION_DE_MINIMIS, PASS_SENIOR, PIECES_BASE, SAMBRE_AVESNOIS, texte
from aides.catalogue.referentiels import Nature, Operateur, Public, RegimeAide, Stade
from aides.catalogue.referentiels import Thematique as T


def dispositifs(jours) -> list[dict]:
    """`jours(n)`: the date n days from today (negative: in the past)."""
    return [
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
    ]
