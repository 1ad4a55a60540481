"""Writes on forms: the draft's sections and questions, and publishing (the only way to make a
version). Every write is a service; the builder pages and the admin call them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .models import Champ, Formulaire, Section, TypeChamp, Version
from .schema import schema_du_brouillon, schema_verifier

CHAMPS_MODIFIABLES = (
    "code",
    "libelle",
    "type",
    "aide",
    "requis",
    "options",
    "minimum",
    "maximum",
    "date_min",
    "date_max",
    "valeurs_bloquantes",
    "motif_blocage",
    "preremplir",
    "coffre",
)


def _touche(formulaire: Formulaire) -> None:
    formulaire.modifie_le = timezone.now()
    formulaire.save(update_fields=["modifie_le"])


def _brouillon_depuis_schema(formulaire: Formulaire, schema: dict) -> None:
    for i, donnees in enumerate(schema.get("sections", [])):
        condition = donnees.get("condition") or {}
        section = Section.objects.create(
            formulaire=formulaire,
            ordre=i,
            titre=donnees["titre"],
            aide=donnees.get("aide", ""),
            eligibilite=donnees.get("eligibilite", False),
            condition_champ=condition.get("champ", ""),
            condition_valeur=condition.get("valeur", ""),
        )
        for j, champ in enumerate(donnees["champs"]):
            parent = _champ_depuis_schema(section, champ, j, parent=None)
            for k, colonne in enumerate(champ.get("champs", [])):
                _champ_depuis_schema(section, colonne, k, parent=parent)


def _champ_depuis_schema(section: Section, donnees: dict, ordre: int, *, parent: Champ | None) -> Champ:
    bloquant = donnees.get("bloquant") or {}
    return Champ.objects.create(
        section=section,
        parent=parent,
        ordre=ordre,
        code=donnees["code"],
        libelle=donnees["libelle"],
        type=donnees["type"],
        aide=donnees.get("aide", ""),
        requis=donnees.get("requis", False),
        options=donnees.get("options", []),
        minimum=donnees.get("min"),
        maximum=donnees.get("max"),
        date_min=donnees.get("date_min", ""),
        date_max=donnees.get("date_max", ""),
        valeurs_bloquantes=bloquant.get("valeurs", []),
        motif_blocage=bloquant.get("motif", ""),
        cible=donnees.get("cible", ""),
        preremplir=donnees.get("preremplir", ""),
        coffre=donnees.get("coffre", ""),
    )


@transaction.atomic
def formulaire_creer(*, nom: str, description: str = "", depuis: Version | None = None, demo: bool = False,
                     code: str | None = None) -> Formulaire:  # fmt: skip
    """A new form; `depuis`: its draft starts as a copy of this version (the default form's, so
    that the generic questions are there)."""
    formulaire = Formulaire(nom=nom, description=description, demo=demo, code=code)
    formulaire.full_clean()
    formulaire.save()
    if depuis is not None:
        _brouillon_depuis_schema(formulaire, depuis.schema)
    return formulaire


@transaction.atomic
def formulaire_publier(*, formulaire: Formulaire, par=None) -> Version:
    """Freeze the draft as the next version. Applications started earlier keep their version."""
    formulaire = Formulaire.objects.select_for_update().get(pk=formulaire.pk)
    schema = schema_du_brouillon(formulaire)
    schema_verifier(schema)
    courante = formulaire.version_courante()
    if courante is not None and courante.schema == schema:
        raise ValidationError("Le brouillon est identique à la version publiée : rien à publier.")
    numero = (formulaire.versions.aggregate(n=Max("numero"))["n"] or 0) + 1
    version = Version(formulaire=formulaire, numero=numero, schema=schema, publiee_par=par)
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def formulaire_depuis_schema(*, nom: str, schema: dict, code: str | None = None, demo: bool = False,
                             par=None) -> Version:  # fmt: skip
    """A form written in code (the default form, demo forms), published at once."""
    schema_verifier(schema)
    formulaire = formulaire_creer(nom=nom, code=code, demo=demo)
    _brouillon_depuis_schema(formulaire, schema)
    return formulaire_publier(formulaire=formulaire, par=par)


@transaction.atomic
def section_enregistrer(*, formulaire: Formulaire, section: Section | None = None, **valeurs) -> Section:
    if section is None:
        fin = formulaire.sections.aggregate(n=Max("ordre"))["n"]
        section = Section(formulaire=formulaire, ordre=0 if fin is None else fin + 1)
    for nom in ("titre", "aide", "eligibilite", "condition_champ", "condition_valeur"):
        if nom in valeurs:
            setattr(section, nom, valeurs[nom])
    section.full_clean()
    section.save()
    _touche(formulaire)
    return section


@transaction.atomic
def section_supprimer(*, section: Section) -> None:
    if section.champs.exclude(cible="").exists():
        raise ValidationError("Cette section contient des questions communes à tous les dispositifs : gardez-la.")
    formulaire = section.formulaire
    section.delete()
    _touche(formulaire)


@transaction.atomic
def champ_enregistrer(*, section: Section, champ: Champ | None = None, parent: Champ | None = None,
                      **valeurs) -> Champ:  # fmt: skip
    """Add or change a question; a question the host app stores in its own column (`cible`) keeps
    its code and type."""
    if champ is None:
        voisins = Champ.objects.filter(section=section, parent=parent)
        fin = voisins.aggregate(n=Max("ordre"))["n"]
        champ = Champ(section=section, parent=parent, ordre=0 if fin is None else fin + 1)
    elif champ.cible and (
        valeurs.get("code", champ.code) != champ.code or valeurs.get("type", champ.type) != champ.type
    ):
        raise ValidationError("Cette question est commune à tous les dispositifs : son code et son type sont fixes.")
    for nom in CHAMPS_MODIFIABLES:
        if nom in valeurs:
            setattr(champ, nom, valeurs[nom])
    if parent is not None and champ.type in (TypeChamp.FICHIER, TypeChamp.BLOC):
        raise ValidationError({"type": "Un bloc répété ne contient ni fichier ni autre bloc."})
    formulaire = section.formulaire
    autres = Champ.objects.filter(section__formulaire=formulaire, code=champ.code).exclude(pk=champ.pk)
    if autres.exists():
        raise ValidationError({"code": f"Une autre question de ce formulaire a le code « {champ.code} »."})
    champ.full_clean()
    champ.save()
    _touche(formulaire)
    return champ


@transaction.atomic
def champ_supprimer(*, champ: Champ) -> None:
    if champ.cible or champ.sous_champs.exclude(cible="").exists():
        raise ValidationError("Cette question est commune à tous les dispositifs : elle ne peut pas être retirée.")
    formulaire = champ.section.formulaire
    champ.delete()
    _touche(formulaire)


@transaction.atomic
def element_deplacer(*, element: Section | Champ, vers: str) -> None:
    """Move a section or a question one place up (`vers="haut"`) or down among its siblings."""
    if isinstance(element, Section):
        freres = list(Section.objects.filter(formulaire=element.formulaire_id).select_for_update())
        formulaire = element.formulaire
    else:
        freres = list(Champ.objects.filter(section=element.section_id, parent=element.parent_id).select_for_update())
        formulaire = element.section.formulaire
    freres.sort(key=lambda e: (e.ordre, e.pk))
    i = next(n for n, e in enumerate(freres) if e.pk == element.pk)
    j = i - 1 if vers == "haut" else i + 1
    if 0 <= j < len(freres):
        freres[i], freres[j] = freres[j], freres[i]
        for ordre, frere in enumerate(freres):
            if frere.ordre != ordre:
                frere.ordre = ordre
                frere.save(update_fields=["ordre"])
        _touche(formulaire)
