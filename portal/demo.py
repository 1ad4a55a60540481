"""Demo staff accounts, one per role. For a developer's machine only (see the `demo` command)."""

from django.contrib.auth.models import Group

from .models import Direction, User
from .roles import Role

MOT_DE_PASSE_DEMO = "demo-portail-2026"

# (email, first name, last name, role, direction code)
COMPTES_DEMO = [
    ("charge.mission@demo.hautsdefrance.fr", "Camille", "Lefebvre", Role.CHARGE_DE_MISSION, "DAEN"),
    ("instructeur@demo.hautsdefrance.fr", "Karim", "Benali", Role.INSTRUCTEUR, "DAEN"),
    ("saf@demo.hautsdefrance.fr", "Sophie", "Dubois", Role.GESTIONNAIRE_SAF, "DAEN"),
    ("feder@demo.hautsdefrance.fr", "Julien", "Martin", Role.SERVICE_FEDER, "DAEN"),
    ("pilotage@demo.hautsdefrance.fr", "Nathalie", "Moreau", Role.PILOTAGE, "DPEAP"),
    ("admin@demo.hautsdefrance.fr", "Thomas", "Leroy", Role.ADMINISTRATEUR, "DAEN"),
    ("dpd@demo.hautsdefrance.fr", "Claire", "Petit", Role.DPD, "DAEN"),
]


def charger(stdout) -> None:
    for email, prenom, nom, role, code_direction in COMPTES_DEMO:
        user, cree = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": prenom,
                "last_name": f"{nom} (démo)",
                "is_staff": True,
                "direction": Direction.objects.get(code=code_direction),
            },
        )
        if cree:
            user.set_password(MOT_DE_PASSE_DEMO)
            user.is_superuser = role == Role.ADMINISTRATEUR
            user.save()
        user.groups.add(Group.objects.get(name=role.value))
        stdout.write(f"  compte de démonstration {role.label:<32} {email}")
