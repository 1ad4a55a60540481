"""Shared words of the demo catalogue: statuses, territories, documents, the description's shape."""

from aides.catalogue.models.dispositif import Dispositif

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
