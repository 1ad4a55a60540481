"""The French activity nomenclature (NAF rév. 2): sections and divisions, enough to place a code.

A dispositif restricts sectors with sections (« C »), divisions (« 10 ») or codes (« 10.71C »);
a company answers with a section or a code. Every division belongs to exactly one section.
"""

import re

SECTIONS = {
    "A": "Agriculture, sylviculture et pêche",
    "B": "Industries extractives",
    "C": "Industrie manufacturière",
    "D": "Production et distribution d'électricité, de gaz, de vapeur et d'air conditionné",
    "E": "Production et distribution d'eau ; assainissement, gestion des déchets et dépollution",
    "F": "Construction",
    "G": "Commerce ; réparation d'automobiles et de motocycles",
    "H": "Transports et entreposage",
    "I": "Hébergement et restauration",
    "J": "Information et communication",
    "K": "Activités financières et d'assurance",
    "L": "Activités immobilières",
    "M": "Activités spécialisées, scientifiques et techniques",
    "N": "Activités de services administratifs et de soutien",
    "O": "Administration publique",
    "P": "Enseignement",
    "Q": "Santé humaine et action sociale",
    "R": "Arts, spectacles et activités récréatives",
    "S": "Autres activités de services",
    "T": "Activités des ménages en tant qu'employeurs",
    "U": "Activités extra-territoriales",
}

# (first division, last division, section)
_PLAGES = [
    (1, 3, "A"),
    (5, 9, "B"),
    (10, 33, "C"),
    (35, 35, "D"),
    (36, 39, "E"),
    (41, 43, "F"),
    (45, 47, "G"),
    (49, 53, "H"),
    (55, 56, "I"),
    (58, 63, "J"),
    (64, 66, "K"),
    (68, 68, "L"),
    (69, 75, "M"),
    (77, 82, "N"),
    (84, 84, "O"),
    (85, 85, "P"),
    (86, 88, "Q"),
    (90, 93, "R"),
    (94, 96, "S"),
    (97, 98, "T"),
    (99, 99, "U"),
]

DIVISIONS = {
    "01": "Culture et production animale, chasse",
    "02": "Sylviculture et exploitation forestière",
    "03": "Pêche et aquaculture",
    "05": "Extraction de houille et de lignite",
    "06": "Extraction d'hydrocarbures",
    "07": "Extraction de minerais métalliques",
    "08": "Autres industries extractives",
    "09": "Services de soutien aux industries extractives",
    "10": "Industries alimentaires",
    "11": "Fabrication de boissons",
    "12": "Fabrication de produits à base de tabac",
    "13": "Fabrication de textiles",
    "14": "Industrie de l'habillement",
    "15": "Industrie du cuir et de la chaussure",
    "16": "Travail du bois (hors meubles)",
    "17": "Industrie du papier et du carton",
    "18": "Imprimerie et reproduction d'enregistrements",
    "19": "Cokéfaction et raffinage",
    "20": "Industrie chimique",
    "21": "Industrie pharmaceutique",
    "22": "Fabrication de produits en caoutchouc et en plastique",
    "23": "Fabrication d'autres produits minéraux non métalliques",
    "24": "Métallurgie",
    "25": "Fabrication de produits métalliques",
    "26": "Fabrication de produits informatiques, électroniques et optiques",
    "27": "Fabrication d'équipements électriques",
    "28": "Fabrication de machines et équipements",
    "29": "Industrie automobile",
    "30": "Fabrication d'autres matériels de transport",
    "31": "Fabrication de meubles",
    "32": "Autres industries manufacturières",
    "33": "Réparation et installation de machines et d'équipements",
    "35": "Production et distribution d'électricité, de gaz, de vapeur",
    "36": "Captage, traitement et distribution d'eau",
    "37": "Collecte et traitement des eaux usées",
    "38": "Collecte, traitement et élimination des déchets ; récupération",
    "39": "Dépollution et autres services de gestion des déchets",
    "41": "Construction de bâtiments",
    "42": "Génie civil",
    "43": "Travaux de construction spécialisés",
    "45": "Commerce et réparation d'automobiles et de motocycles",
    "46": "Commerce de gros",
    "47": "Commerce de détail",
    "49": "Transports terrestres",
    "50": "Transports par eau",
    "51": "Transports aériens",
    "52": "Entreposage et services auxiliaires des transports",
    "53": "Activités de poste et de courrier",
    "55": "Hébergement",
    "56": "Restauration",
    "58": "Édition",
    "59": "Production de films, vidéo, télévision ; enregistrement sonore",
    "60": "Programmation et diffusion",
    "61": "Télécommunications",
    "62": "Programmation, conseil et autres activités informatiques",
    "63": "Services d'information",
    "64": "Activités des services financiers",
    "65": "Assurance",
    "66": "Activités auxiliaires de services financiers et d'assurance",
    "68": "Activités immobilières",
    "69": "Activités juridiques et comptables",
    "70": "Activités des sièges sociaux ; conseil de gestion",
    "71": "Architecture et ingénierie ; contrôle et analyses techniques",
    "72": "Recherche-développement scientifique",
    "73": "Publicité et études de marché",
    "74": "Autres activités spécialisées, scientifiques et techniques",
    "75": "Activités vétérinaires",
    "77": "Activités de location et location-bail",
    "78": "Activités liées à l'emploi",
    "79": "Agences de voyage, voyagistes, services de réservation",
    "80": "Enquêtes et sécurité",
    "81": "Services relatifs aux bâtiments et aménagement paysager",
    "82": "Activités administratives et autres activités de soutien aux entreprises",
    "84": "Administration publique et défense ; sécurité sociale obligatoire",
    "85": "Enseignement",
    "86": "Activités pour la santé humaine",
    "87": "Hébergement médico-social et social",
    "88": "Action sociale sans hébergement",
    "90": "Activités créatives, artistiques et de spectacle",
    "91": "Bibliothèques, archives, musées et autres activités culturelles",
    "92": "Organisation de jeux de hasard et d'argent",
    "93": "Activités sportives, récréatives et de loisirs",
    "94": "Activités des organisations associatives",
    "95": "Réparation d'ordinateurs et de biens personnels et domestiques",
    "96": "Autres services personnels",
    "97": "Activités des ménages en tant qu'employeurs de personnel domestique",
    "98": "Activités indifférenciées des ménages",
    "99": "Activités des organisations et organismes extraterritoriaux",
}

_CODE = re.compile(r"^(\d{2})(?:\.?(\d{1,2})([A-Z])?)?$")


def section_de_division(division: str) -> str | None:
    try:
        numero = int(division)
    except ValueError:
        return None
    for debut, fin, section in _PLAGES:
        if debut <= numero <= fin:
            return section
    return None


def normaliser_naf(valeur: str) -> str | None:
    """« c » → « C », « 1071c » or « 10.71 c » → « 10.71C », « 10 » → « 10 »; None when not a NAF code."""
    # « 10.71C - Boulangerie » as chosen from the suggestions: keep the code.
    texte = re.sub(r"\s+", "", (valeur or "").split(" - ", 1)[0]).upper()
    if len(texte) == 1 and texte in SECTIONS:
        return texte
    correspondance = _CODE.match(texte)
    if not correspondance:
        return None
    division, groupe, lettre = correspondance.groups()
    if division not in DIVISIONS:
        return None
    if groupe is None:
        return division
    if len(groupe) == 1:
        # « 47.7 » is a group (47.71 to 47.79), not the class 47.70; a letter only ends a full code.
        return None if lettre else f"{division}.{groupe}"
    return f"{division}.{groupe}{lettre or ''}"


def section_de(code: str) -> str | None:
    """Section letter of a normalised section, division or code."""
    if not code:
        return None
    if code in SECTIONS:
        return code
    return section_de_division(code[:2])


def couvre(entree: str, code: str) -> bool | None:
    """Does the dispositif's entry (section, division or code) cover the company's code?

    True or False when it can be told; None when the company gave only a section and the entry is
    narrower (a division or a code inside that section): it may or may not be covered.
    """
    entree = normaliser_naf(entree) or entree.upper()
    if entree in SECTIONS:
        return section_de(code) == entree
    if code in SECTIONS:
        return None if section_de(entree) == code else False
    sans_point_entree = entree.replace(".", "")
    return code.replace(".", "").startswith(sans_point_entree)


def libelle(code: str) -> str:
    if code in SECTIONS:
        return f"section {code} ({SECTIONS[code]})"
    division = DIVISIONS.get(code[:2])
    if len(code) == 2 and division:
        return f"division {code} ({division})"
    return f"code {code}" + (f" ({division})" if division else "")


def avec_article(code: str) -> str:
    """« la section A (…) », « la division 10 (…) », « le code 10.71C (…) »: the label with its article."""
    texte = libelle(code)
    return ("le " if texte.startswith("code ") else "la ") + texte


def a_avec_article(code: str) -> str:
    """« à la section A (…) », « à la division 10 (…) », « au code 10.71C (…) »."""
    texte = avec_article(code)
    return "au " + texte[3:] if texte.startswith("le ") else "à " + texte


def suggestions() -> list[tuple[str, str]]:
    """Values offered by the sector field's list (sections then divisions)."""
    return [(lettre, f"{lettre} - {nom}") for lettre, nom in SECTIONS.items()] + [
        (code, f"{code} - {nom}") for code, nom in DIVISIONS.items()
    ]
