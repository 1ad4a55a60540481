"""Schemas used by the tests: one question of each type, a condition, a block, eligibility."""


def q(code, type_="texte", **autres):
    return {
        "code": code,
        "libelle": autres.pop("libelle", code.replace("_", " ").capitalize()),
        "type": type_,
        "aide": "",
        "requis": autres.pop("requis", False),
        "options": autres.pop("options", []),
        "min": autres.pop("min", None),
        "max": autres.pop("max", None),
        "date_min": autres.pop("date_min", ""),
        "date_max": autres.pop("date_max", ""),
        "bloquant": autres.pop("bloquant", None),
        "cible": "",
        "preremplir": "",
        "coffre": autres.pop("coffre", ""),
        **autres,
    }


def section(code, titre, champs, *, condition=None, eligibilite=False):
    return {
        "code": code,
        "titre": titre,
        "aide": "",
        "eligibilite": eligibilite,
        "condition": condition,
        "champs": champs,
    }


def schema_complet() -> dict:
    return {
        "sections": [
            section(
                "s0",
                "Éligibilité",
                [
                    q(
                        "exercice_clos",
                        "oui_non",
                        requis=True,
                        bloquant={"valeurs": ["non"], "motif": "Il faut un exercice clôturé."},
                    )
                ],
                eligibilite=True,
            ),
            section(
                "s1",
                "Projet",
                [
                    q("titre", requis=True),
                    q("resume", "texte_long"),
                    q("effectif", "nombre", min="1", max="250"),
                    q("budget", "montant", max="100000"),
                    q("debut", "date", date_min="2026-01-01"),
                    q("fin", "date", date_min="debut"),
                    q("export", "oui_non", requis=True),
                    q("filiere", "choix", options=["Bois", "Textile"]),
                    q("marches", "choix_multiple", options=["Europe", "Asie", "Amérique"]),
                    q("siret_partenaire", "siret"),
                    q("commune_site", "commune"),
                    q("plan", "fichier"),
                ],
            ),
            section(
                "s2",
                "Export",
                [
                    q("pays", "texte", requis=True),
                    q("partenaires", "bloc", requis=True, champs=[q("nom", requis=True), q("part", "montant")]),
                ],
                condition={"champ": "export", "valeur": "oui"},
            ),
        ]
    }
