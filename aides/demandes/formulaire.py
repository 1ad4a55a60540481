"""The application form of a dispositif, through the generic engine (formulaires).

The generic questions every application has (title, project, start date, expenses, amount) are
the default form; they are kept in the application's own columns (`cible`), so the deposit rules,
the instruction and the conventions read them as before. A dispositif's own form starts as a copy
of the default one and adds its questions, whose answers go to `Demande.reponses` (JSON). An
application keeps the version it was started with."""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction

from aides.catalogue.models.dispositif import Dispositif
from aides.demandes.models.coffre import DocumentEntreprise
from aides.demandes.models.demande import Demande
from aides.demandes.services.coffre import coffre_deposer
from formulaires.export import valeur_cellule
from formulaires.models import Formulaire, TypeChamp, Version
from formulaires.moteur import FormulaireDynamique
from formulaires.schema import tous_les_champs
from formulaires.services import formulaire_depuis_schema
from portal.verification import FichierVerifie

CODE_DEFAUT = "defaut"
COLONNES = ("intitule", "projet", "date_debut_projet", "montant_demande")


def _q(code, libelle, type_, *, aide="", cible="", champs=None):
    champ = {"code": code, "libelle": libelle, "type": type_, "aide": aide, "requis": False, "options": [],
             "min": None, "max": None, "date_min": "", "date_max": "", "bloquant": None, "cible": cible,
             "preremplir": "", "coffre": ""}  # fmt: skip
    if champs is not None:
        champ["champs"] = champs
    return champ


SCHEMA_DEFAUT = {
    "sections": [
        {"code": "section_1", "titre": "Le projet", "aide": "", "eligibilite": False, "condition": None, "champs": [
            _q("intitule", "Intitulé du projet", "texte", cible="intitule"),
            _q("projet", "Description du projet", "texte_long", cible="projet"),
            _q("date_debut_projet", "Date de début du projet", "date", cible="date_debut_projet",
               aide="Premier engagement (devis signé, commande, début des travaux). Il doit être postérieur au dépôt."),
        ]},
        {"code": "section_2", "titre": "Les dépenses", "aide": "Une ligne par dépense, montants hors taxes.",
         "eligibilite": False, "condition": None, "champs": [
            _q("lignes", "Dépenses du projet (hors taxes)", "bloc", cible="lignes", champs=[
                _q("nature", "Nature de la dépense", "texte"), _q("montant_ht", "Montant HT en euros", "montant")]),
            _q("montant_demande", "Montant de l'aide demandée (€)", "montant", cible="montant_demande"),
        ]},
    ]
}  # fmt: skip


def version_par_defaut() -> Version:
    """The default form's current version, published the first time it is needed."""
    formulaire = Formulaire.objects.filter(code=CODE_DEFAUT).first()
    if formulaire is not None and (version := formulaire.version_courante()) is not None:
        return version
    try:
        with transaction.atomic():
            return formulaire_depuis_schema(nom="Formulaire par défaut", code=CODE_DEFAUT, schema=SCHEMA_DEFAUT)
    except IntegrityError:  # another request published it first
        return Formulaire.objects.get(code=CODE_DEFAUT).version_courante()


def version_pour(dispositif: Dispositif) -> Version:
    """The version a new application of this dispositif starts with."""
    if dispositif.formulaire_id and (version := dispositif.formulaire.version_courante()) is not None:
        return version
    return version_par_defaut()


def version_de(demande: Demande) -> Version:
    return demande.version_formulaire or version_par_defaut()


# --- Prefill: the company's identity from the CRM (SIRENE data) -----------------------------------


def identite(etablissement) -> dict:
    entreprise = etablissement.entreprise
    commune = etablissement.commune
    return {
        "raison_sociale": entreprise.denomination,
        "siret": etablissement.siret,
        "adresse": " ".join(
            p for p in (etablissement.adresse, etablissement.code_postal, getattr(commune, "nom", "")) if p
        ),
        "commune": commune.code_insee if commune else "",
        "naf": etablissement.naf or entreprise.naf,
        "forme_juridique": entreprise.categorie_juridique,
        "tranche_effectif": etablissement.get_tranche_effectifs_display() or entreprise.get_tranche_effectifs_display(),
    }  # fmt: skip


def _fichier_du_coffre(document: DocumentEntreprise) -> dict:
    return {
        "coffre": document.pk,
        "nom": document.nom_original,
        "valable_jusqu_au": _date_fr(document.valable_jusqu_au),
    }


def _date_fr(jour: date | None) -> str:
    return jour.strftime("%d/%m/%Y") if jour else ""


def documents_valides(entreprise_id: int) -> dict[str, DocumentEntreprise]:
    """The newest valid document of each type in the company's safe (one query)."""
    documents = {}
    for document in DocumentEntreprise.objects.filter(entreprise_id=entreprise_id).valides():
        documents.setdefault(document.type, document)
    return documents


def initial_pour(demande: Demande | None, schema: dict, etablissement) -> dict:
    """Saved answers, the application's own columns, then prefill and the safe for what is empty."""
    initial = dict(demande.reponses) if demande else {}
    if demande is not None:
        for code in COLONNES:
            initial[code] = getattr(demande, code)
        initial["lignes"] = [{"nature": ligne.nature, "montant_ht": ligne.montant_ht} for ligne in demande.lignes.all()]
    donnees = identite(etablissement)
    coffre = documents_valides(etablissement.entreprise_id)
    for champ in tous_les_champs(schema):
        if initial.get(champ["code"]) not in (None, "", []):
            continue
        if champ.get("preremplir"):
            initial[champ["code"]] = donnees.get(champ["preremplir"], "")
        elif champ["type"] == TypeChamp.FICHIER and champ.get("coffre") in coffre:
            initial[champ["code"]] = _fichier_du_coffre(coffre[champ["coffre"]])
    return {code: valeur for code, valeur in initial.items() if valeur is not None}


def formulaire_de(demande: Demande | None, *, version: Version, etablissement, data=None, files=None,
                  fabrique_fichier=None, en_plus: dict | None = None) -> FormulaireDynamique:  # fmt: skip
    """`en_plus`: answers given before the form (the eligibility step)."""
    return FormulaireDynamique(
        version.schema,
        data,
        files,
        initial={**initial_pour(demande, version.schema, etablissement), **(en_plus or {})},
        fabrique_fichier=fabrique_fichier,
    )


# --- Saving ---------------------------------------------------------------------------------------


@transaction.atomic
def reponses_enregistrer(*, demande: Demande, reponses: dict, par) -> Demande:
    """Save the answers of a draft: the generic ones in their columns, files as the application's
    documents (a file taken from the safe is shared with it; a new company document also goes to the safe),
    the rest in `reponses`."""
    from aides.demandes.services.demande.depot import (  # noqa: PLC0415  (the services import this module)
        LigneSaisie,
        demande_enregistrer,
    )
    from aides.demandes.services.demande.pieces import piece_ajouter  # noqa: PLC0415  (the same reason)

    schema = version_de(demande).schema
    propres, colonnes, lignes = {}, {}, None
    for champ in tous_les_champs(schema):
        code, valeur = champ["code"], reponses.get(champ["code"])
        if champ.get("cible") == "lignes":
            lignes = [LigneSaisie(nature=v["nature"], montant_ht=Decimal(v["montant_ht"])) for v in valeur or []
                      if v.get("nature") and v.get("montant_ht") not in (None, "")]  # fmt: skip
        elif champ.get("cible") in COLONNES:
            colonnes[code] = _colonne(champ, valeur)
        elif champ["type"] == TypeChamp.FICHIER:
            propres[code] = _fichier_enregistrer(demande, champ, valeur, par, piece_ajouter)
        elif code in reponses:
            propres[code] = valeur
    demande = demande_enregistrer(demande=demande, champs=colonnes, lignes=lignes)
    demande.reponses = propres
    demande.save(update_fields=["reponses", "modifie_le"])
    return demande


def _colonne(champ: dict, valeur):
    if valeur in (None, ""):
        return None if champ["type"] in (TypeChamp.DATE, TypeChamp.MONTANT) else ""
    if champ["type"] == TypeChamp.DATE:
        return date.fromisoformat(valeur)
    if champ["type"] == TypeChamp.MONTANT:
        return Decimal(valeur)
    return valeur


def _fichier_enregistrer(demande: Demande, champ: dict, valeur, par, piece_ajouter) -> dict | None:
    if isinstance(valeur, FichierVerifie):
        piece = piece_ajouter(demande=demande, verifie=valeur, par=par, type_piece=champ["libelle"])
        reponse = {"piece": piece.pk, "nom": piece.nom_original}
        if champ.get("coffre"):
            document = coffre_deposer(entreprise_id=demande.etablissement.entreprise_id, type=champ["coffre"],
                                      verifie=valeur, par=par, document=piece.document)  # fmt: skip
            reponse["coffre"] = document.pk
        return reponse
    if isinstance(valeur, dict) and valeur.get("coffre") and not valeur.get("piece"):
        document = DocumentEntreprise.objects.get(
            pk=valeur["coffre"], entreprise_id=demande.etablissement.entreprise_id
        )
        # The piece shares the safe's stored file (nothing copied; deleting either keeps it for the other).
        piece = piece_ajouter(demande=demande, coffre=document, par=par, type_piece=champ["libelle"])
        return {"piece": piece.pk, "nom": piece.nom_original, "coffre": document.pk}
    return valeur if isinstance(valeur, dict) else None


# --- Deposit --------------------------------------------------------------------------------------


def erreurs_formulaire(demande: Demande, le: date) -> list[str]:
    """The form's own reasons not to deposit: a required answer missing, a blocking eligibility
    answer, a safe document expired since it was chosen."""
    schema = version_de(demande).schema
    dynamique = FormulaireDynamique(schema, initial=demande.reponses)
    erreurs = []
    if motif := dynamique.blocage():
        erreurs.append(motif)
    coffre_ids = []
    for rendue in dynamique.sections:
        if not rendue.visible:
            continue
        for champ in rendue.section["champs"]:
            valeur = demande.reponses.get(champ["code"])
            if champ.get("cible"):
                continue
            if champ["requis"] and valeur in (None, "", []):
                erreurs.append(f"Répondez à la question « {champ['libelle']} ».")
            if isinstance(valeur, dict) and valeur.get("coffre"):
                coffre_ids.append((valeur["coffre"], champ["libelle"]))
    expires = {
        d.pk: d for d in DocumentEntreprise.objects.filter(pk__in=[i for i, _ in coffre_ids], valable_jusqu_au__lt=le)
    }
    for pk, libelle in coffre_ids:
        if pk in expires:
            erreurs.append(
                f"« {libelle} » a expiré le {_date_fr(expires[pk].valable_jusqu_au)} : déposez-en un nouveau."
            )
    return erreurs


def reponses_lisibles(demande: Demande) -> list[tuple[str, str]]:
    """(question, answer) of the questions of its form version that have no column of their own,
    for the instruction and the company's page (a skipped conditional section: « — »)."""
    return [
        (champ["libelle"], valeur_cellule(champ, demande.reponses.get(champ["code"])) or "—")
        for champ in tous_les_champs(version_de(demande).schema)
        if not champ.get("cible")
    ]
