import factory
from django.utils import timezone
from django.utils.text import slugify

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.referentiels import Nature, Public, Stade, Thematique
from portal.models import Direction


class DispositifFactory(factory.django.DjangoModelFactory):
    """A published, open, region-wide subsidy unless told otherwise."""

    class Meta:
        model = Dispositif
        skip_postgeneration_save = True

    nom = factory.Sequence(lambda n: f"Dispositif de test {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.nom))
    resume = "Une aide de la Région pour les entreprises."
    description = "Description **en Markdown**."
    thematiques = factory.LazyFunction(lambda: [Thematique.TPE_PROXIMITE])
    nature = Nature.SUBVENTION
    publics = factory.LazyFunction(lambda: [Public.TPE, Public.PME])
    stades = factory.LazyFunction(lambda: [Stade.DEVELOPPEMENT])
    couvre_region = True
    direction = factory.LazyFunction(lambda: Direction.objects.get(code="DAEN"))
    statut = Dispositif.Statut.PUBLIE
    publie_le = factory.LazyAttribute(lambda o: timezone.now() if o.statut == Dispositif.Statut.PUBLIE else None)

    @factory.post_generation
    def departements(self, create, codes, **kwargs):
        if create and codes:
            self.departements.add(*codes)

    @factory.post_generation
    def epcis(self, create, epcis, **kwargs):
        if create and epcis:
            self.epcis.add(*epcis)
