"""Exchange with Aides-territoires (the State's catalogue used by the EPCI): export our catalogue in the
field set and vocabulary of its public API for aids (`/api/aids/`), and import a file in that format
as drafts flagged with their source, for an agent to review and publish.

The mapping tables below are the reference (README, « Échange avec Aides-territoires »). Where our
vocabulary is finer than theirs (guarantee and equity are both « Autre aide financière ») the export
loses the difference; every mapping that is one-to-one survives an export then an import.
"""

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape, strip_tags

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.referentiels import Nature, Operateur, Public, Thematique
from aides.catalogue.rendu import markdown_en_html
from aides.catalogue.services import dispositif as services
from portal.models import Direction, User
from territoires.chargement import DEPARTEMENTS
from territoires.models import EPCI

SOURCE = "aides-territoires"
REGION = "Hauts-de-France"
FINANCEUR_REGION = "Région Hauts-de-France"
FINANCEUR_FEDER = "Union européenne (FEDER)"
THEME_ECONOMIE = "Développement économique / production et consommation"

# Our thématiques → their categories (« Thème|Catégorie », as their API writes them). One-to-one.
# They have no « création d'entreprise » category: « Attractivité économique » carries it.
CATEGORIES = {
    Thematique.CREATION_REPRISE: f"{THEME_ECONOMIE}|Attractivité économique",
    Thematique.TPE_PROXIMITE: f"{THEME_ECONOMIE}|Commerces et services",
    Thematique.INNOVATION: f"{THEME_ECONOMIE}|Innovation, créativité et recherche",
    Thematique.FILIERES: f"{THEME_ECONOMIE}|Consommation et production",
    Thematique.EXPORT_ATTRACTIVITE: f"{THEME_ECONOMIE}|International",
    Thematique.EMPLOI_RH: f"{THEME_ECONOMIE}|Emploi",
    Thematique.FORMATION: f"{THEME_ECONOMIE}|Formation professionnelle",
    Thematique.TRANSITION_ECOLOGIQUE: f"{THEME_ECONOMIE}|Economie circulaire",
    Thematique.NUMERIQUE: f"{THEME_ECONOMIE}|Technologies numériques et numérisation",
}
# Their categories → ours, for the import: the inverse of the above, plus near ones of theirs.
CATEGORIES_IMPORT = {
    **{categorie: theme for theme, categorie in CATEGORIES.items()},
    f"{THEME_ECONOMIE}|Artisanat": Thematique.TPE_PROXIMITE,
    f"{THEME_ECONOMIE}|Economie locale et circuits courts": Thematique.TPE_PROXIMITE,
    f"{THEME_ECONOMIE}|Tourisme": Thematique.TPE_PROXIMITE,
    f"{THEME_ECONOMIE}|Economie sociale et solidaire": Thematique.TPE_PROXIMITE,
    f"{THEME_ECONOMIE}|Revitalisation": Thematique.TPE_PROXIMITE,
    "Énergies / Déchets|Transition énergétique": Thematique.TRANSITION_ECOLOGIQUE,
}

# Our nature → their aid type (label, as their API writes it). Guarantee and equity share one.
TYPES_AIDE = {
    Nature.SUBVENTION: "Subvention",
    Nature.PRET: "Prêt",
    Nature.AVANCE_REMBOURSABLE: "Avance récupérable",
    Nature.GARANTIE: "Autre aide financière",
    Nature.FONDS_PROPRES: "Autre aide financière",
    Nature.ACCOMPAGNEMENT: "Ingénierie technique",
}
TYPES_AIDE_IMPORT = {
    "Subvention": Nature.SUBVENTION,
    "Prêt": Nature.PRET,
    "Avance récupérable": Nature.AVANCE_REMBOURSABLE,
    "Autre aide financière": Nature.GARANTIE,
    "Ingénierie technique": Nature.ACCOMPAGNEMENT,
    "Ingénierie financière": Nature.ACCOMPAGNEMENT,
    "Ingénierie Juridique / administrative": Nature.ACCOMPAGNEMENT,
    "Certificat d'économie d'énergie (CEE)": Nature.SUBVENTION,
}

# Their audiences: companies (and associations for the social economy) are ours.
PUBLIC_ENTREPRISES = "Entreprises privées"
PUBLIC_ASSOCIATIONS = "Associations"
PUBLICS_IMPORTES = {PUBLIC_ENTREPRISES, PUBLIC_ASSOCIATIONS}

# Their perimeters that contain the whole region.
PERIMETRES_REGION = {REGION, "France", "Europe", "France métropolitaine", "Métropole"}
ETAPE_REALISATION = "Mise en œuvre / réalisation"


# --- Export -----------------------------------------------------------------------------------


def _perimetre(dispositif: Dispositif) -> tuple[str, str]:
    """(perimeter, perimeter_scale) by name, as they write it."""
    if dispositif.couvre_region:
        return REGION, "Région"
    noms = [DEPARTEMENTS.get(code, code) for code in dispositif.codes_departements] + list(dispositif.noms_epcis)
    if len(noms) == 1:
        return noms[0], "Département" if dispositif.codes_departements else "EPCI"
    return ", ".join(noms), "Ad-hoc"


def _eligibilite(dispositif: Dispositif) -> str:
    publics = dict(Public.choices)
    lignes = []
    if dispositif.publics:
        lignes.append("Publics : " + ", ".join(str(publics[p]) for p in dispositif.publics))
    if dispositif.effectif_min is not None or dispositif.effectif_max is not None:
        lignes.append(f"Effectif : de {dispositif.effectif_min or 0} à {dispositif.effectif_max or 'plus'} salariés")
    if dispositif.naf_inclus:
        lignes.append("Secteurs NAF éligibles : " + ", ".join(dispositif.naf_inclus))
    if dispositif.naf_exclus:
        lignes.append("Secteurs NAF exclus : " + ", ".join(dispositif.naf_exclus))
    if dispositif.documents_requis:
        lignes.append("Pièces à fournir : " + " ; ".join(dispositif.documents_requis))
    return "".join(f"<p>{escape(ligne)}</p>" for ligne in lignes)


def _entier(valeur: Decimal | None) -> int | None:
    return None if valeur is None else int(valeur.to_integral_value())


def aide_exporter(dispositif: Dispositif) -> dict[str, Any]:
    """One dispositif (with `avec_territoires` annotations) in their aid's fields and vocabulary."""
    page = settings.SITE_URL + reverse("aides:detail", args=[dispositif.slug])
    if dispositif.depot_externe:
        depot = dispositif.url_depot_externe
    else:
        depot = settings.SITE_URL + reverse("espace:nouvelle", args=[dispositif.slug])
    perimetre, echelle = _perimetre(dispositif)
    financeurs = [FINANCEUR_REGION] + ([FINANCEUR_FEDER] if dispositif.eligible_feder else [])
    instructeur = (
        FINANCEUR_REGION
        if dispositif.operateur == Operateur.REGION
        else dispositif.operateur_nom or dispositif.get_operateur_display()
    )
    contact = escape(f"{FINANCEUR_REGION} – {dispositif.direction.nom}")
    if dispositif.direction.email_partage:
        contact += f"<br>{escape(dispositif.direction.email_partage)}"
    audiences = [PUBLIC_ENTREPRISES] + ([PUBLIC_ASSOCIATIONS] if Public.ESS in dispositif.publics else [])
    return {
        "id": dispositif.pk,
        "slug": dispositif.slug,
        "url": page,
        "name": dispositif.nom,
        "name_initial": dispositif.nom,
        "short_title": "",
        "financers": financeurs,
        "instructors": [instructeur],
        "programs": [],
        "description": str(markdown_en_html(dispositif.description)) or f"<p>{escape(dispositif.resume)}</p>",
        "eligibility": _eligibilite(dispositif),
        "perimeter": perimetre,
        "perimeter_scale": echelle,
        "mobilization_steps": [ETAPE_REALISATION],
        "origin_url": page,
        "categories": [CATEGORIES[t] for t in dispositif.thematiques if t in CATEGORIES],
        "is_call_for_project": False,
        "application_url": depot,
        "targeted_audiences": audiences,
        "aid_types": [TYPES_AIDE[dispositif.nature]],
        "is_charged": False,
        "destinations": [],
        "start_date": dispositif.date_ouverture.isoformat() if dispositif.date_ouverture else None,
        "predeposit_date": None,
        "submission_deadline": dispositif.date_cloture.isoformat() if dispositif.date_cloture else None,
        "subvention_rate_lower_bound": None,
        "subvention_rate_upper_bound": _entier(dispositif.taux_max),
        "loan_amount": _entier(dispositif.montant_max) if dispositif.nature == Nature.PRET else None,
        "recoverable_advance_amount": (
            _entier(dispositif.montant_max) if dispositif.nature == Nature.AVANCE_REMBOURSABLE else None
        ),
        "contact": f"<p>{contact}</p>",
        "recurrence": "Permanente" if dispositif.date_cloture is None else "Ponctuelle",
        "project_examples": "",
        "import_data_url": settings.SITE_URL + reverse("aides:api"),
        "import_data_mention": "Région Hauts-de-France – Portail Entreprises",
        "import_share_licence": "openlicence20",
        "date_created": dispositif.cree_le.isoformat(),
        "date_updated": dispositif.modifie_le.isoformat(),
    }


def catalogue_exporter(dispositifs) -> dict[str, Any]:
    """Their API's page envelope around the aids (one page holding them all)."""
    resultats = [aide_exporter(d) for d in dispositifs]
    return {"count": len(resultats), "previous": None, "next": None, "results": resultats}


# --- Import -----------------------------------------------------------------------------------


@dataclass
class BilanImport:
    crees: int = 0
    mis_a_jour: int = 0
    inchanges: int = 0
    ecartes: list[str] = field(default_factory=list)  # « id – nom : raison »


class AideEcartee(Exception):
    """This aid is not for the portal (audience, perimeter): skipped with a reason."""


def _date(valeur: str | None) -> date | None:
    return date.fromisoformat(valeur[:10]) if valeur else None


def _perimetre_importer(perimetre: str) -> tuple[bool, list[str], list[EPCI]]:
    """(whole region, département codes, EPCI) from their perimeter's name; AideEcartee if outside."""
    if perimetre in PERIMETRES_REGION:
        return True, [], []
    par_nom = {nom: code for code, nom in DEPARTEMENTS.items()}
    departements, epcis = [], []
    for nom in [n.strip() for n in perimetre.split(",") if n.strip()]:
        if nom in par_nom:
            departements.append(par_nom[nom])
        elif epci := EPCI.objects.filter(nom=nom).defer("contour").first():
            epcis.append(epci)
        else:
            raise AideEcartee(f"périmètre « {perimetre} » hors de la région ou inconnu")
    if not departements and not epcis:
        raise AideEcartee("périmètre vide")
    return False, departements, epcis


def _operateur(instructeurs: list[str]) -> tuple[str, str]:
    if not instructeurs or instructeurs[0] == FINANCEUR_REGION:
        return Operateur.REGION, ""
    nom = instructeurs[0]
    for code, libelle in Operateur.choices:
        if nom == libelle and code != Operateur.REGION:
            return code, ""
    return Operateur.PARTENAIRE, nom[:200]


def champs_depuis_aide(aide: dict[str, Any], *, direction: Direction) -> dict[str, Any]:
    """Their aid → the services' arguments for a draft (AideEcartee when it is not for companies)."""
    audiences = set(aide.get("targeted_audiences") or [])
    if not audiences & PUBLICS_IMPORTES:
        raise AideEcartee("ne s'adresse pas aux entreprises")
    couvre_region, departements, epcis = _perimetre_importer(aide.get("perimeter") or "")
    types = [TYPES_AIDE_IMPORT[t] for t in aide.get("aid_types") or [] if t in TYPES_AIDE_IMPORT]
    nature = types[0] if types else Nature.SUBVENTION
    thematiques = []
    for categorie in aide.get("categories") or []:
        theme = CATEGORIES_IMPORT.get(categorie)
        if theme and theme not in thematiques:
            thematiques.append(theme)
    description = aide.get("description") or ""
    if eligibilite := aide.get("eligibility"):
        description += f"\n\n### Conditions d'éligibilité\n\n{eligibilite}"
    montant = aide.get("loan_amount") if nature == Nature.PRET else None
    if nature == Nature.AVANCE_REMBOURSABLE:
        montant = aide.get("recoverable_advance_amount")
    operateur, operateur_nom = _operateur(aide.get("instructors") or [])
    url_depot = (aide.get("application_url") or aide.get("origin_url") or "")[:500]
    ouverture, cloture = _date(aide.get("start_date")), _date(aide.get("submission_deadline"))
    resume = " ".join(strip_tags(aide.get("description") or "").split())
    return {
        "nom": (aide.get("name") or "")[:200],
        "resume": (resume[:397] + "…") if len(resume) > 400 else resume or (aide.get("name") or "")[:400],
        "description": description,
        "thematiques": thematiques,
        "nature": nature,
        "publics": [Public.TPE, Public.PME] + ([Public.ESS] if PUBLIC_ASSOCIATIONS in audiences else []),
        "couvre_region": couvre_region,
        "departements": departements,
        "epcis": epcis,
        "direction": direction,
        "operateur": operateur,
        "operateur_nom": operateur_nom,
        "montant_max": Decimal(montant) if montant is not None else None,
        "taux_max": (
            Decimal(aide["subvention_rate_upper_bound"])
            if aide.get("subvention_rate_upper_bound") is not None
            else None
        ),
        "eligible_feder": any("FEDER" in f for f in aide.get("financers") or []),
        "date_ouverture": ouverture,
        "date_cloture": cloture if not (ouverture and cloture and cloture < ouverture) else None,
        # Applied for where they say: never on our portal's form.
        "modalite_depot": Dispositif.ModaliteDepot.EXTERNE if url_depot else Dispositif.ModaliteDepot.PORTAIL,
        "url_depot_externe": url_depot,
        "contact_nom": " ".join(strip_tags((aide.get("contact") or "").replace("<br>", " – ")).split())[:200],
        "source": SOURCE,
        "source_id": str(aide["id"]),
    }


def aides_importer(
    donnees: dict | list, *, direction: Direction, avec_region: bool = False, par: User | None = None
) -> BilanImport:
    """Propose their aids as drafts (never published here: an agent reviews and publishes).

    Idempotent on (source, id): an aid imported again updates its draft; once an agent has
    published or archived it, the import leaves it alone. By default the Région's own aids (financed
    by the Région only) are skipped: they are already in the catalogue.
    """
    aides = donnees["results"] if isinstance(donnees, dict) else donnees
    bilan = BilanImport()
    for aide in aides:
        etiquette = f"{aide.get('id')} – {aide.get('name')}"
        try:
            if not avec_region and (aide.get("financers") or []) == [FINANCEUR_REGION]:
                raise AideEcartee("aide de la Région, déjà au catalogue")
            champs = champs_depuis_aide(aide, direction=direction)
            with transaction.atomic():
                existant = (
                    Dispositif.objects.select_for_update().filter(source=SOURCE, source_id=champs["source_id"]).first()
                )
                if existant is None:
                    services.dispositif_creer(par=par, **champs)
                    bilan.crees += 1
                elif existant.statut != Dispositif.Statut.BROUILLON:
                    bilan.inchanges += 1
                else:
                    avant = existant.modifie_le
                    apres = services.dispositif_modifier(dispositif=existant, par=par, **champs)
                    if apres.modifie_le != avant:
                        bilan.mis_a_jour += 1
                    else:
                        bilan.inchanges += 1
        except AideEcartee as raison:
            bilan.ecartes.append(f"{etiquette} : {raison}")
        except (ValidationError, KeyError, ValueError, TypeError) as erreur:
            message = "; ".join(erreur.messages) if isinstance(erreur, ValidationError) else repr(erreur)
            bilan.ecartes.append(f"{etiquette} : invalide ({message})")
    return bilan


def fichier_lire(chemin: str) -> dict | list:
    with open(chemin, encoding="utf-8") as fichier:
        return json.load(fichier)
