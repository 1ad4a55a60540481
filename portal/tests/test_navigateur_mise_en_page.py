"""Every staff page, the main public pages and the company space, on a phone (390 px) and a laptop
(1,280 px): no serious or critical axe violation, no horizontal scrolling on the phone, the header
menu on one line on the laptop. One browser page walks them all (one data set, one login per role)."""

import re

import pytest

from conftest import connexion_navigateur
from portal.tests.pages import pages_remplies
from territoires.chargement import territoires_charger

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

TELEPHONE = {"width": 390, "height": 844}
PORTABLE = {"width": 1280, "height": 800}

DEBORDEMENT = "document.scrollingElement.scrollWidth - window.innerWidth"
# Top-level items of the header menu (groups, links, account): their boxes, to see if they share a line.
BOITES_MENU = """() => Array.from(document.querySelectorAll('.entete .navbar-nav > .nav-item')).map(e => {
  const r = e.getBoundingClientRect(); return {texte: e.innerText.split('\\n')[0], haut: r.top, bas: r.bottom,
  gauche: r.left, droite: r.right};
})"""


def problemes_de_la_page(page, axe, largeur: int) -> list[str]:
    problemes = []
    resultats = axe.run(page)
    for v in resultats.response["violations"]:
        if v["impact"] in {"serious", "critical"}:
            problemes.append(f"axe {v['id']} ({v['impact']}) → {[n['target'] for n in v['nodes']][:3]}")
    if largeur == TELEPHONE["width"]:
        debord = page.evaluate(DEBORDEMENT)
        if debord > 0:
            coupables = page.evaluate(
                """() => {
                  const rogne = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
                    if (getComputedStyle(a).overflowX !== 'visible') return true; } return false; };
                  return Array.from(document.querySelectorAll('body *')).filter(e => {
                    const r = e.getBoundingClientRect();
                    return r.right > window.innerWidth + 1 && r.width > 0 && !rogne(e);
                  }).slice(0, 3).map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className);
                }"""
            )
            problemes.append(f"déborde de {debord} px : {coupables}")
    else:
        hauteur = page.evaluate("document.querySelector('.entete .navbar').getBoundingClientRect().height")
        if hauteur > 90:
            problemes.append(f"en-tête haut de {hauteur:.0f} px (une ligne : moins de 90 px)")
        boites = page.evaluate(BOITES_MENU)
        hauts = {round(b["haut"]) for b in boites}
        if len(hauts) > 1:
            problemes.append(f"menu sur plusieurs lignes : {[(b['texte'], round(b['haut'])) for b in boites]}")
        for avant, apres in zip(boites, boites[1:], strict=False):
            if round(avant["haut"]) == round(apres["haut"]) and apres["gauche"] < avant["droite"] - 1:
                problemes.append(f"« {avant['texte']} » et « {apres['texte']} » se chevauchent")
    return problemes


def haut(page, selecteur: str) -> float:
    return page.evaluate(f"document.querySelector({selecteur!r}).getBoundingClientRect().top + window.scrollY")


def problemes_particuliers(page, url: str, largeur: int) -> list[str]:
    """What each page promises beyond fitting: where its first useful content sits."""
    problemes = []
    if url == "/aides/":
        ouvert = page.evaluate("document.getElementById('panneau-filtres').open")
        if largeur == TELEPHONE["width"] and (ouvert or haut(page, "#titre-resultats") > 900):
            problemes.append(f"filtres ouverts ({ouvert}) ou résultats à {haut(page, '#titre-resultats'):.0f} px")
        if largeur == PORTABLE["width"] and not ouvert:
            problemes.append("les filtres du catalogue sont fermés sur un grand écran")
    if re.fullmatch(r"/agents/crm/entreprises/\d{9}/", url) and largeur == TELEPHONE["width"]:
        if haut(page, "#titre-taches") > haut(page, "#titre-historique"):
            problemes.append("les suites à donner viennent après l'historique")
    if url == "/agents/saf/" and haut(page, "#titre-a-faire") > 700:
        problemes.append(f"la liste « À faire » est à {haut(page, '#titre-a-faire'):.0f} px")
    return problemes


@pytest.mark.parametrize("taille", [TELEPHONE, PORTABLE], ids=["390px", "1280px"])
def test_every_page_fits_the_screen_and_passes_axe(page, live_server, connecter, taille):
    from axe_playwright_python.sync_playwright import Axe

    territoires_charger()
    pages = pages_remplies()
    axe = Axe()
    page.set_viewport_size(taille)
    rapport: dict[str, list[str]] = {}

    def visiter(urls):
        for url in urls:
            reponse = page.goto(live_server.url + url)
            assert reponse.status == 200, url
            problemes = problemes_de_la_page(page, axe, taille["width"])
            problemes += problemes_particuliers(page, url, taille["width"])
            if problemes:
                rapport[url] = problemes

    visiter(pages.publiques)
    connecter(page, pages.entreprise)
    visiter(pages.espace)
    page.context.clear_cookies()
    connecter(page, pages.agent)
    visiter(pages.staff)

    details = "\n".join(f"{url}\n  " + "\n  ".join(p) for url, p in rapport.items())
    assert not rapport, f"{len(rapport)} page(s) à corriger à {taille['width']} px :\n{details}"


def test_a_staff_menu_group_opens_and_closes_with_the_keyboard(page, live_server, creer_agent, connecter):
    from portal.roles import ROLES_AGENTS

    page.set_viewport_size(PORTABLE)
    connecter(page, creer_agent(*ROLES_AGENTS))
    groupe = page.locator("summary", has_text="Entreprises")
    groupe.focus()
    page.keyboard.press("Enter")
    lien = page.get_by_role("link", name="Demandes « Être contacté »")
    assert lien.is_visible()
    page.keyboard.press("Tab")
    assert lien.evaluate("e => e === document.activeElement") or page.evaluate(
        "document.activeElement.closest('details.menu-groupe') !== null"
    )
    page.keyboard.press("Escape")
    assert not lien.is_visible()
    assert page.evaluate("document.activeElement.textContent").startswith("Entreprises")
    # Opening another group closes the first one.
    groupe.click()
    page.locator("summary", has_text="Territoires").click()
    assert not lien.is_visible()
    assert page.get_by_role("link", name="Revues de projets", exact=True).is_visible()


def test_the_staff_menu_and_the_account_work_without_javascript(browser, live_server, creer_agent, mot_de_passe):
    from portal.roles import ROLES_AGENTS

    agent = creer_agent(*ROLES_AGENTS)
    contexte = browser.new_context(java_script_enabled=False, viewport=PORTABLE)
    page = contexte.new_page()
    connexion_navigateur(page, live_server.url, agent, mot_de_passe)  # password, then the TOTP code
    page.locator("summary", has_text="Conventions d'aide").click()
    page.get_by_role("link", name="Suivi FEDER").click()
    assert page.url.endswith("/agents/saf/feder/")
    page.locator("summary", has_text="Mon compte").click()
    page.get_by_role("button", name="Se déconnecter").click()
    assert page.get_by_role("link", name="Se connecter").is_visible()
    contexte.close()
