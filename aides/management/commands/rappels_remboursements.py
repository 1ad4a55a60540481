from datetime import date

from django.core.management.base import BaseCommand, CommandError

from aides.conventions.services.paiement import rappels_remboursement_envoyer


class Command(BaseCommand):
    help = (
        "Envoie les rappels avant échéance et les relances après échéance des remboursements (une fois chacun) ; "
        "même travail que la tâche quotidienne aides.tasks.rappels_remboursements."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="date du jour à retenir, AAAA-MM-JJ (par défaut : aujourd'hui)")

    def handle(self, *args, date: str | None, **options):
        try:
            aujourd_hui = _jour(date) if date else None
        except ValueError:
            raise CommandError(f"Date « {date} » invalide : attendu AAAA-MM-JJ.") from None
        n = rappels_remboursement_envoyer(aujourd_hui=aujourd_hui)
        self.stdout.write(f"{n} rappel(s) de remboursement écrit(s).")


def _jour(texte: str) -> date:
    return date.fromisoformat(texte)
