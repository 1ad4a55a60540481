import re
import unicodedata


def normaliser(texte: str) -> str:
    """Lower case, no accents, hyphens or apostrophes: « Saint-Quentin » → « saint quentin »."""
    sans_accents = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", " ", sans_accents.lower()).strip()
