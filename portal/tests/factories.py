import factory
from django.contrib.auth.models import Group

from portal.documents import document_stocker
from portal.models import Direction, Document, Notification, User
from portal.roles import Role

MOT_DE_PASSE = "mot-de-passe-de-test-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", MOT_DE_PASSE)

    @factory.post_generation
    def roles(self, create, roles, **kwargs):
        if create and roles:
            self.groups.add(*Group.objects.filter(name__in=[Role(r).value for r in roles]))
        if create:
            self.save()


class AgentFactory(UserFactory):
    email = factory.Sequence(lambda n: f"agent{n}@hautsdefrance.fr")
    is_staff = True
    direction = factory.LazyFunction(lambda: Direction.objects.get(code="DAEN"))


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    destinataire = factory.Sequence(lambda n: f"destinataire{n}@exemple.fr")
    gabarit = "mot_de_passe"
    sujet = "Choisir un nouveau mot de passe"
    corps_texte = "Bonjour,"
    corps_html = "<p>Bonjour,</p>"


def document_cree(genre: str, *, contenu: bytes | None = None, **champs) -> Document:
    """A portal.Document of a registered `genre`: ready with `contenu` when given, else waiting."""
    document = Document(genre=genre, **champs)
    if contenu is None:
        document.save()
        return document
    return document_stocker(document, contenu=contenu)
