"""A management command that does a daily task's work, for today or for the day given."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError


class CommandeDuJour(BaseCommand):
    """Subclasses set `help` and write `executer(aujourd_hui)`, which returns the line to print."""

    def add_arguments(self, parser):
        parser.add_argument("--date", help="date du jour à retenir, AAAA-MM-JJ (par défaut : aujourd'hui)")

    def handle(self, *args, date: str | None, **options):
        try:
            aujourd_hui = _jour(date) if date else None
        except ValueError:
            raise CommandError(f"Date « {date} » invalide : attendu AAAA-MM-JJ.") from None
        self.stdout.write(self.executer(aujourd_hui))

    def executer(self, aujourd_hui: date | None) -> str:
        raise NotImplementedError


def _jour(texte: str) -> date:
    return date.fromisoformat(texte)
