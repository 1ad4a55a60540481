import io

import pytest
from django.core.management import call_command

from partenaires.models import AccordDiffusion, Adhesion, Orientation
from partenaires.selectors_documents import documents_epci

pytestmark = pytest.mark.django_db


def test_the_demo_gives_a_bge_member_an_epci_user_and_a_referral_in_each_state(settings):
    settings.DEBUG = True
    for _ in range(2):
        call_command("demo", stdout=io.StringIO())
    assert Adhesion.objects.filter(demo=True, structure__sigle="BGE").count() == 1
    assert Adhesion.objects.filter(demo=True, epci__isnull=False).count() == 1
    assert sorted(Orientation.objects.filter(demo=True).values_list("statut", flat=True)) == sorted(
        s.value for s in Orientation.Statut
    )
    assert all("(démo)" in a.utilisateur.last_name for a in Adhesion.objects.filter(demo=True))
    epci = Adhesion.objects.get(demo=True, epci__isnull=False).epci
    assert any(d.action == "signer" for d in documents_epci(epci))
    assert AccordDiffusion.objects.en_vigueur().filter(entreprise__demo=True).count() == 1
