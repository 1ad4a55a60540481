"""Demo data of the CRM: partner structures, a few companies with history. Idempotent."""

from datetime import timedelta

from django.utils import timezone
from stdnum import luhn

from portal.models import User
from territoires.models import Affectation, Commune

from . import services
from .models import Entreprise, Etablissement, Interaction, Structure
from .referentiels import Besoin, TypeInteraction, TypeStructure

STRUCTURES = [
    ("CCI Hauts-de-France", "CCI", TypeStructure.CHAMBRE),
    ("Chambre de métiers et de l'artisanat Hauts-de-France", "CMA", TypeStructure.CHAMBRE),
    ("Chambre d'agriculture du Nord-Pas de Calais", "CA 59-62", TypeStructure.CHAMBRE),
    ("Bpifrance Hauts-de-France", "Bpifrance", TypeStructure.FINANCEUR),
    ("Hauts-de-France Investissement et Développement", "HDFID", TypeStructure.FINANCEUR),
    ("Nord France Invest", "NFI", TypeStructure.AGENCE),
    ("BGE Hauts-de-France", "BGE", TypeStructure.RESEAU),
    ("France Active Hauts-de-France", "France Active", TypeStructure.RESEAU),
    ("ADIE Hauts-de-France", "ADIE", TypeStructure.RESEAU),
    ("Réseau Entreprendre Hauts-de-France", "Réseau Entreprendre", TypeStructure.RESEAU),
    ("Initiative Hauts-de-France", "Initiative", TypeStructure.RESEAU),
    ("Pôle de compétitivité Matikem", "Matikem", TypeStructure.POLE),
    ("Pôle de compétitivité Aquimer", "Aquimer", TypeStructure.POLE),
    ("Pôle de compétitivité i-Trans", "i-Trans", TypeStructure.POLE),
    ("Euramaterials", "Euramaterials", TypeStructure.POLE),
    ("France Travail Hauts-de-France", "France Travail", TypeStructure.ETAT),
    ("DREETS Hauts-de-France", "DREETS", TypeStructure.ETAT),
]

# (SIREN base without key, name, NAF, commune INSEE code)
ENTREPRISES = [
    ("12345670", "Boulangerie Lefèvre (démo)", "10.71C", "80021"),
    ("23456780", "Métallerie du Vimeu (démo)", "25.11Z", "80021"),
    ("34567890", "Numérique Lillois SAS (démo)", "62.01Z", "59350"),
    ("45678900", "Transports Saint-Quentinois (démo)", "49.41A", "02691"),
    ("56789010", "Conserverie du Calaisis (démo)", "10.20Z", "62193"),
]


def _siren(base: str) -> str:
    return base + luhn.calc_check_digit(base)


def charger(stdout) -> None:
    for nom, sigle, type_ in STRUCTURES:
        Structure.objects.get_or_create(nom=nom, defaults={"sigle": sigle, "type": type_, "demo": True})
    stdout.write(f"  {len(STRUCTURES)} structures partenaires")
    agent = User.objects.filter(email="charge.mission@demo.hautsdefrance.fr").first()
    for base, nom, naf, code in ENTREPRISES:
        siren = _siren(base)
        commune = Commune.objects.filter(code_insee=code).select_related("epci").first()
        if commune is None:
            continue
        entreprise = Entreprise.objects.filter(siren=siren).first()
        if entreprise is None:
            entreprise = services.entreprise_creer(siren=siren, denomination=nom, naf=naf, demo=True)
            siret = siren + "0001"
            siret += luhn.calc_check_digit(siret)
            services.etablissement_creer(
                entreprise=entreprise, siret=siret, commune=commune, code_postal=commune.liste_codes_postaux[0],
                adresse="1 rue de la République", siege=True, naf=naf, demo=True,
            )  # fmt: skip
        # The commune's EPCI as a partner that can attend visits.
        Structure.objects.get_or_create(
            nom=commune.epci.nom, defaults={"type": TypeStructure.EPCI, "epci": commune.epci, "demo": True}
        )
        if agent is None or Interaction.objects.filter(entreprise=entreprise).exists():
            continue
        contact = services.contact_creer(
            entreprise=entreprise, prenom="Claire", nom="Dirigeante (démo)", fonction="Gérante", demo=True
        )
        services.interaction_enregistrer(
            auteur=agent,
            entreprise=entreprise,
            agents=[agent],
            contacts=[contact],
            structures=list(Structure.objects.filter(sigle__in=["CCI", "Bpifrance"])),
            taches=[
                {
                    "titre": "Envoyer la liste des aides à l'investissement",
                    "assignee": agent,
                    "echeance": timezone.localdate() + timedelta(days=7),
                }
            ],
            type=TypeInteraction.VISITE,
            date=timezone.localdate() - timedelta(days=10),
            objet="Visite de présentation (démo)",
            etablissement=entreprise.etablissements.first(),
            themes=["developpement"],
            notes="Projet d'extension de l'atelier, recrutement de deux personnes envisagé.",
        )
        Affectation.objects.get_or_create(agent=agent, epci=commune.epci, direction=agent.direction)
        services.sollicitation_creer(
            commune=commune,
            besoin=Besoin.INVESTIR,
            origine="formulaire",
            nom="Claire Dirigeante (démo)",
            email="claire.demo@example.org",
            entreprise_saisie=nom,
            entreprise=entreprise,
            message="Nous cherchons un financement pour une nouvelle machine.",
            consentement=True,
        )
    stdout.write(f"  {Etablissement.objects.filter(demo=True).count()} établissements de démonstration")

    # Project reviews with the territories and the funding of partner structures.
    from . import demo_revues

    demo_revues.charger(stdout)
