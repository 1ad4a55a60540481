"""The catalogue search knows the domain's synonyms and related words (aides/catalogue/synonymes.py)."""

import pytest

from aides.catalogue.tests.factories import DispositifFactory

pytestmark = pytest.mark.django_db

AIDES = [
    ("Pass export", "Pour vos salons à l'étranger."),
    ("Premier volontariat international en entreprise", "Le coût du premier volontaire international (VIE)."),
    ("Pavillon régional sur les salons internationaux", "Exposer sur un stand collectif."),
    ("Prime à l'embauche", "Pour un premier salarié en CDI."),
    ("Aide au recrutement d'un cadre", "Un cadre pour structurer la PME."),
    ("Transformation digitale des TPE", "Un site marchand et un logiciel de caisse."),
    ("Chèque numérique", "Un diagnostic et un outil."),
    ("Reprise d'entreprise", "Pour le repreneur d'une TPE."),
    ("Prêt industrie", "Pour une machine."),
]


def noms(client, texte: str) -> set[str]:
    reponse = client.get("/aides/", {"q": texte})
    return {d.nom for d in reponse.context["catalogue"].dispositifs}


@pytest.mark.parametrize(
    ("texte", "trouvees"),
    [
        (
            "export",
            {
                "Pass export",
                "Premier volontariat international en entreprise",
                "Pavillon régional sur les salons internationaux",
            },
        ),
        (
            "international",
            {
                "Pass export",
                "Premier volontariat international en entreprise",
                "Pavillon régional sur les salons internationaux",
            },
        ),
        ("VIE", {"Premier volontariat international en entreprise"}),
        ("embauche", {"Prime à l'embauche", "Aide au recrutement d'un cadre"}),
        ("recruter", {"Prime à l'embauche", "Aide au recrutement d'un cadre"}),
        ("numérique", {"Transformation digitale des TPE", "Chèque numérique"}),
        ("digital", {"Transformation digitale des TPE", "Chèque numérique"}),
        ("transmission", {"Reprise d'entreprise"}),
        ("machine", {"Prêt industrie"}),  # a word without synonyms: the plain search
        ("prime embauche", {"Prime à l'embauche"}),  # every word must match (itself or a synonym)
    ],
)
def test_a_word_finds_the_aids_using_its_synonyms(client, texte, trouvees):
    for nom, resume in AIDES:
        DispositifFactory(nom=nom, resume=resume)
    assert noms(client, texte) == trouvees


def test_the_web_search_syntax_still_works_with_synonyms(client):
    for nom, resume in AIDES:
        DispositifFactory(nom=nom, resume=resume)
    assert noms(client, '"pass export"') == {"Pass export"}
    assert "Pass export" not in noms(client, "export -salons")
