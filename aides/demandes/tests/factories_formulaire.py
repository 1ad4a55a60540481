"""A dispositif's own form, as staff build it: the default questions, eligibility, a condition, a
repeated block, a prefilled question and a document of the safe."""

from datetime import date

from aides.demandes.formulaire import version_par_defaut
from aides.demandes.services.coffre import coffre_deposer
from aides.demandes.tests.factories import fichier_pdf
from formulaires import services
from formulaires.models import Formulaire, Version
from portal.verification import fichier_verifier


def formulaire_specifique(nom: str = "Export (test)") -> Formulaire:
    formulaire = services.formulaire_creer(nom=nom, depuis=version_par_defaut())
    eligibilite = services.section_enregistrer(formulaire=formulaire, titre="Éligibilité", eligibilite=True)
    services.champ_enregistrer(
        section=eligibilite,
        code="exercice_clos",
        libelle="Avez-vous clôturé un exercice ?",
        type="oui_non",
        requis=True,
        valeurs_bloquantes=["non"],
        motif_blocage="Le dispositif demande un premier exercice clôturé.",
    )
    services.element_deplacer(element=eligibilite, vers="haut")
    services.element_deplacer(element=eligibilite, vers="haut")
    activite = services.section_enregistrer(formulaire=formulaire, titre="Votre activité")
    services.champ_enregistrer(section=activite, code="exporte", libelle="Exportez-vous ?", type="oui_non", requis=True)
    services.champ_enregistrer(
        section=activite, code="siret_site", libelle="SIRET du site du projet", type="siret", preremplir="siret"
    )
    services.champ_enregistrer(
        section=activite, code="kbis", libelle="Extrait Kbis", type="fichier", coffre="kbis", requis=True
    )
    export = services.section_enregistrer(
        formulaire=formulaire, titre="Export", condition_champ="exporte", condition_valeur="oui"
    )
    services.champ_enregistrer(section=export, code="pays", libelle="Pays visés", type="texte", requis=True)
    bloc = services.champ_enregistrer(section=export, code="partenaires", libelle="Partenaires", type="bloc")
    services.champ_enregistrer(section=export, parent=bloc, code="nom", libelle="Nom", type="texte", requis=True)
    services.champ_enregistrer(section=export, parent=bloc, code="part", libelle="Part (€)", type="montant")
    services.formulaire_publier(formulaire=formulaire)
    return formulaire


def question_ajouter_et_publier(formulaire: Formulaire, **champ) -> Version:
    section = formulaire.sections.get(titre="Votre activité")
    services.champ_enregistrer(section=section, **champ)
    return services.formulaire_publier(formulaire=formulaire)


def kbis_au_coffre(membre, *, valable_jusqu_au: date | None = None, nom: str = "kbis-2026.pdf"):
    return coffre_deposer(
        entreprise_id=membre.entreprise_id,
        type="kbis",
        verifie=fichier_verifier(fichier_pdf(nom)),
        par=membre.utilisateur,
        valable_jusqu_au=valable_jusqu_au,
    )
