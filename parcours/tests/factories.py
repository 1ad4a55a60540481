import factory

from parcours.models import EtapeParcours, ParcoursType
from portal.models import Direction


class ParcoursTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParcoursType

    nom = factory.Sequence(lambda n: f"Parcours de test {n}")
    slug = factory.Sequence(lambda n: f"parcours-de-test-{n}")
    description = "Un parcours de test."
    direction = factory.LazyFunction(lambda: Direction.objects.get(code="DAEN"))


class EtapeParcoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EtapeParcours
        skip_postgeneration_save = True

    parcours = factory.SubFactory(ParcoursTypeFactory)
    ordre = factory.Sequence(lambda n: n + 1)
    type = EtapeParcours.Type.FINANCEMENT
    titre = factory.Sequence(lambda n: f"Étape {n}")

    @factory.post_generation
    def dispositifs(self, create, dispositifs, **kwargs):
        if create and dispositifs:
            self.dispositifs.add(*dispositifs)
