def portail(request) -> dict:
    return {"NOM_PORTAIL": "Portail Entreprises Hauts-de-France"}
