import hashlib
import html
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.referentiels import Nature, Operateur, Public, RegimeAide, Stade, Thematique
from aides.catalogue.rendu import markdown_en_html

VERSION_API = "1.1.0"


CODE_REGION = "32"  # INSEE code of the Hauts-de-France region


@dataclass
class Contexte:
    """What a value needs beside the dispositif: absolute addresses, and the description's HTML.

    One per page, not per aid: the two addresses of an aid are made from models reversed once per
    page, and the Markdown of a description, read by two fields, is rendered once."""

    request: HttpRequest
    _modeles: dict[str, str] = field(default_factory=dict)
    _html: tuple[Dispositif, str] | None = None  # the last dispositif asked for, its description as HTML

    def absolue(self, chemin: str) -> str:
        return self.request.build_absolute_uri(chemin)

    @cached_property
    def adresse_racine(self) -> str:
        """Scheme and host: what the aids' absolute addresses depend on in the request."""
        return self.absolue("/")

    def adresse(self, nom: str, slug: str) -> str:
        """`absolue(reverse(nom, args=[slug]))` for a URL whose only argument is a slug."""
        if (modele := self._modeles.get(nom)) is None:
            modele = self._modeles[nom] = self.absolue(reverse(nom, args=["_"]))
        return modele.replace("/_/", f"/{slug}/")

    def description_html(self, dispositif: Dispositif) -> str:
        if self._html is None or self._html[0] is not dispositif:
            self._html = (dispositif, str(markdown_en_html(dispositif.description)))
        return self._html[1]


@dataclass(frozen=True)
class Champ:
    nom: str
    type: str  # JSON Schema type: string, integer, number, boolean, array, object
    description: str
    valeur: Callable[[Dispositif, Contexte], Any] | None = None  # None: a sub-field, read by its parent
    format: str | None = None
    nullable: bool = False
    enum: tuple[str, ...] | None = None
    items: dict | None = None  # schema of an array's items
    proprietes: tuple["Champ", ...] = field(default_factory=tuple)  # an object's fields

    def schema(self) -> dict:
        schema: dict[str, Any] = {"type": self.type, "description": self.description}
        if self.format:
            schema["format"] = self.format
        if self.enum:
            schema["enum"] = list(self.enum)
        if self.items is not None:
            schema["items"] = self.items
        if self.proprietes:
            schema["properties"] = {p.nom: p.schema() for p in self.proprietes}
            schema["required"] = [p.nom for p in self.proprietes]
        if self.nullable:
            schema["nullable"] = True
        return schema


def codes(choix) -> tuple[str, ...]:
    return tuple(choix.values)


def liste_de(choix) -> dict:
    return {"type": "string", "enum": list(codes(choix))}


def texte(nullable: bool = False) -> dict:
    return {"type": "string", "nullable": True} if nullable else {"type": "string"}


def description_texte(dispositif: Dispositif, html_propre: str | None = None) -> str:
    """The description as plain text (from the sanitised HTML, entities decoded, blank lines kept)."""
    if html_propre is None:
        html_propre = str(markdown_en_html(dispositif.description))
    return html.unescape(strip_tags(html_propre)).strip()


def adresse_depot(dispositif: Dispositif, contexte: Contexte) -> str:
    if dispositif.depot_externe:
        return dispositif.url_depot_externe
    return contexte.adresse("espace:nouvelle", dispositif.slug)


def financeurs(dispositif: Dispositif) -> list[dict]:
    liste = [{"nom": "Région Hauts-de-France", "type": "region", "code": CODE_REGION}]
    if dispositif.eligible_feder:
        liste.append({"nom": "Union européenne (FEDER)", "type": "europe", "code": "UE"})
    return liste


def instructeurs(dispositif: Dispositif) -> list[dict]:
    """Who instructs the application: the piloting direction when the Région runs it itself."""
    if dispositif.operateur == Operateur.REGION:
        return [{"nom": f"Région Hauts-de-France – {dispositif.direction.nom}", "type": "region"}]
    nom = dispositif.operateur_nom or dispositif.get_operateur_display()
    return [{"nom": nom, "type": dispositif.operateur}]


def decimal(valeur) -> str | None:
    return None if valeur is None else f"{valeur:.2f}"


ORGANISME = {
    "type": "object",
    "properties": {"nom": {"type": "string"}, "type": {"type": "string"}, "code": {"type": "string"}},
    "required": ["nom", "type"],
}


CHAMPS_API: tuple[Champ, ...] = (
    Champ("slug", "string", "Identifiant stable de l'aide (son adresse).", lambda d, c: d.slug),
    Champ("nom", "string", "Nom de l'aide.", lambda d, c: d.nom),
    Champ("resume", "string", "Résumé en une ou deux phrases.", lambda d, c: d.resume),
    Champ(
        "url",
        "string",
        "Page de l'aide sur le portail.",
        lambda d, c: c.adresse("aides:detail", d.slug),
        format="uri",
    ),
    Champ("thematiques", "array", "Thématiques.", lambda d, c: list(d.thematiques), items=liste_de(Thematique)),
    Champ("nature", "string", "Nature de l'aide.", lambda d, c: d.nature, enum=codes(Nature)),
    Champ("publics", "array", "Publics visés.", lambda d, c: list(d.publics), items=liste_de(Public)),
    Champ("stades", "array", "Stades de l'entreprise.", lambda d, c: list(d.stades), items=liste_de(Stade)),
    Champ("effectif_min", "integer", "Effectif minimum (salariés).", lambda d, c: d.effectif_min, nullable=True),
    Champ("effectif_max", "integer", "Effectif maximum (salariés).", lambda d, c: d.effectif_max, nullable=True),
    Champ(
        "montant_min",
        "string",
        "Montant minimum en euros (décimal exact).",
        lambda d, c: decimal(d.montant_min),
        format="decimal",
        nullable=True,
    ),
    Champ(
        "montant_max",
        "string",
        "Montant maximum en euros (décimal exact).",
        lambda d, c: decimal(d.montant_max),
        format="decimal",
        nullable=True,
    ),
    Champ(
        "taux_max",
        "string",
        "Taux maximum des dépenses éligibles, en %.",
        lambda d, c: decimal(d.taux_max),
        format="decimal",
        nullable=True,
    ),
    Champ("regime", "string", "Régime d'aide d'État.", lambda d, c: d.regime, enum=codes(RegimeAide)),
    Champ("eligible_feder", "boolean", "Peut être cofinancée par le FEDER.", lambda d, c: d.eligible_feder),
    Champ(
        "couverture",
        "object",
        "Territoire couvert (codes du portail).",
        lambda d, c: {
            "region": d.couvre_region,
            "departements": list(d.codes_departements),
            "epcis": list(d.sirens_epcis),
        },
        proprietes=(
            Champ("region", "boolean", "Toute la région."),
            Champ("departements", "array", "Codes des départements.", items=texte()),
            Champ("epcis", "array", "SIREN des EPCI.", items=texte()),
        ),
    ),
    Champ("direction", "string", "Code de la direction pilote.", lambda d, c: d.direction.code),
    Champ("operateur", "string", "Opérateur de l'aide.", lambda d, c: d.operateur, enum=codes(Operateur)),
    Champ(
        "date_ouverture", "string", "Ouverture du dépôt.", lambda d, c: d.date_ouverture, format="date", nullable=True
    ),
    Champ(
        "date_cloture",
        "string",
        "Clôture du dépôt (incluse).",
        lambda d, c: d.date_cloture,
        format="date",
        nullable=True,
    ),
    Champ("ouvert", "boolean", "Ouverte aujourd'hui.", lambda d, c: d.est_ouvert()),
    Champ(
        "modifie_le",
        "string",
        "Dernière modification (alias de date_modification).",
        lambda d, c: d.modifie_le,
        format="date-time",
    ),
    # --- Added in 1.1: everything needed to import an aid without losing what matters ---------
    Champ(
        "description_html",
        "string",
        "Description en HTML nettoyé (pas de script ni d'attribut d'événement).",
        lambda d, c: c.description_html(d),
    ),
    Champ(
        "description_texte",
        "string",
        "Description en texte brut.",
        lambda d, c: description_texte(d, c.description_html(d)),
    ),
    Champ(
        "eligibilite",
        "object",
        "Conditions d'éligibilité.",
        lambda d, c: {
            "publics": list(d.publics),
            "stades": list(d.stades),
            "effectif_min": d.effectif_min,
            "effectif_max": d.effectif_max,
            "naf_inclus": list(d.naf_inclus),
            "naf_exclus": list(d.naf_exclus),
            "regime": d.regime,
            "regime_reference": d.regime_reference,
        },
        proprietes=(
            Champ("publics", "array", "Publics visés.", items=liste_de(Public)),
            Champ("stades", "array", "Stades de l'entreprise.", items=liste_de(Stade)),
            Champ("effectif_min", "integer", "Effectif minimum.", nullable=True),
            Champ("effectif_max", "integer", "Effectif maximum.", nullable=True),
            Champ("naf_inclus", "array", "Secteurs NAF éligibles (vide : tous).", items=texte()),
            Champ("naf_exclus", "array", "Secteurs NAF exclus.", items=texte()),
            Champ("regime", "string", "Régime d'aide d'État.", enum=codes(RegimeAide)),
            Champ("regime_reference", "string", "Référence du régime (article du RGEC…)."),
        ),
    ),
    Champ("documents_requis", "array", "Pièces à fournir.", lambda d, c: list(d.documents_requis), items=texte()),
    Champ(
        "depot",
        "object",
        "Comment déposer une demande : sur le portail ou sur le site de l'opérateur.",
        lambda d, c: {"modalite": d.modalite_depot, "url": adresse_depot(d, c)},
        proprietes=(
            Champ("modalite", "string", "portail ou externe.", enum=codes(Dispositif.ModaliteDepot)),
            Champ("url", "string", "Adresse où déposer la demande.", format="uri"),
        ),
    ),
    Champ(
        "contact",
        "object",
        "Le service à contacter (une direction ou un opérateur, jamais une personne).",
        lambda d, c: {
            "direction": d.direction.code,
            "direction_nom": d.direction.nom,
            "email": d.direction.email_partage,
            "operateur": d.operateur_nom or d.get_operateur_display(),
        },
        proprietes=(
            Champ("direction", "string", "Code de la direction pilote."),
            Champ("direction_nom", "string", "Nom de la direction pilote."),
            Champ("email", "string", "Boîte partagée de la direction (peut être vide)."),
            Champ("operateur", "string", "Opérateur de l'aide."),
        ),
    ),
    Champ(
        "dates",
        "object",
        "Dates de l'aide.",
        lambda d, c: {
            "ouverture": d.date_ouverture,
            "cloture": d.date_cloture,
            "publication": d.publie_le,
            "creation": d.cree_le,
            "modification": d.modifie_le,
        },
        proprietes=(
            Champ("ouverture", "string", "Ouverture du dépôt.", format="date", nullable=True),
            Champ("cloture", "string", "Clôture du dépôt (incluse).", format="date", nullable=True),
            Champ("publication", "string", "Publication.", format="date-time", nullable=True),
            Champ("creation", "string", "Création.", format="date-time"),
            Champ("modification", "string", "Dernière modification.", format="date-time"),
        ),
    ),
    Champ("financeurs", "array", "Qui finance l'aide.", lambda d, c: financeurs(d), items=ORGANISME),
    Champ("instructeurs", "array", "Qui instruit la demande.", lambda d, c: instructeurs(d), items=ORGANISME),
    Champ(
        "perimetre",
        "object",
        "Territoire couvert en codes nationaux (INSEE région et département, SIREN des EPCI).",
        lambda d, c: {
            "region": CODE_REGION if d.couvre_region else None,
            "departements": list(d.codes_departements),
            "epcis": list(d.sirens_epcis),
            "communes": [],
        },
        proprietes=(
            Champ("region", "string", "Code INSEE de la région quand elle est couverte en entier.", nullable=True),
            Champ("departements", "array", "Codes INSEE des départements.", items=texte()),
            Champ("epcis", "array", "SIREN des EPCI.", items=texte()),
            Champ(
                "communes",
                "array",
                "Codes INSEE des communes (les aides du portail n'en limitent aucune).",
                items=texte(),
            ),
        ),
    ),
    Champ(
        "date_modification",
        "string",
        "Dernière modification (pour les imports incrémentaux).",
        lambda d, c: d.modifie_le,
        format="date-time",
    ),
)


def dispositif_en_json(dispositif: Dispositif, request_ou_contexte: HttpRequest | Contexte) -> dict:
    """One aid as the API gives it; a page passes one `Contexte` for all its aids."""
    contexte = request_ou_contexte if isinstance(request_ou_contexte, Contexte) else Contexte(request_ou_contexte)
    return {champ.nom: champ.valeur(dispositif, contexte) for champ in CHAMPS_API}


def en_texte_json(valeur) -> str:
    """The API's JSON writing: dates ISO 8601 and decimals as DjangoJSONEncoder writes them, UTF-8."""
    return json.dumps(valeur, cls=DjangoJSONEncoder, ensure_ascii=False)


def _cle_resultat(dispositif: Dispositif, contexte: Contexte, version: str, jour: str) -> str:
    """What an aid's JSON depends on besides the catalogue's generation: the day (« ouvert »), the
    scheme and host (absolute addresses), its last change (also written by bulk updates, which send
    no signal) and its direction (a direction changes without changing the catalogue)."""
    direction = dispositif.direction
    contenu = "|".join(
        (
            contexte.adresse_racine,
            str(dispositif.pk),
            dispositif.modifie_le.isoformat(),
            direction.code,
            direction.nom,
            direction.email_partage,
        )
    )
    return f"catalogue:api:{version}:{jour}:{hashlib.sha256(contenu.encode()).hexdigest()[:32]}"


def resultats_en_json(dispositifs: list[Dispositif], contexte: Contexte, version: str | None, duree: int) -> str:
    """The JSON array of a page's aids, as `en_texte_json([dispositif_en_json(d) ...])` writes it.

    With the catalogue's generation (`catalogue_generation()`, a new one whenever a dispositif or its
    coverage changes), each aid's JSON is kept in the shared cache and the page's are read in one
    call; only the missing ones are built (rendering the description's Markdown is most of the cost)."""
    if not version:
        return en_texte_json([dispositif_en_json(d, contexte) for d in dispositifs])
    jour = timezone.localdate().isoformat()
    cles = [_cle_resultat(d, contexte, version, jour) for d in dispositifs]
    trouves = cache.get_many(cles)
    nouveaux = {
        cle: en_texte_json(dispositif_en_json(d, contexte))
        for cle, d in zip(cles, dispositifs, strict=True)
        if cle not in trouves
    }
    if nouveaux:
        cache.set_many(nouveaux, duree)
    # json.dumps writes a list as its items joined by ", " between brackets.
    return "[" + ", ".join(trouves[cle] if cle in trouves else nouveaux[cle] for cle in cles) + "]"
