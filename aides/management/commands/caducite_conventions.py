from datetime import date

from django.core.management.base import BaseCommand, CommandError

from aides.conventions.services.convention import conventions_caduques_marquer


class Command(BaseCommand):
    help = (
        "Rend caduques les conventions dont la date de caducité est passée sans signature (ou sans versement "
        "demandé) ; même travail que la tâche quotidienne aides.tasks.conventions_caduques_marquer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="date du jour à retenir, AAAA-MM-JJ (par défaut : aujourd'hui)")

    def handle(self, *args, date: str | None, **options):
        try:
            aujourd_hui = _jour(date) if date else None
        except ValueError:
            raise CommandError(f"Date « {date} » invalide : attendu AAAA-MM-JJ.") from None
        n = conventions_caduques_marquer(aujourd_hui=aujourd_hui)
        self.stdout.write(f"{n} convention(s) rendue(s) caduque(s).")


def _jour(texte: str) -> date:
    return date.fromisoformat(texte)
