"""The URLs of aides, gathered from its sub-domains: a namespace may span several of them (the company
space shows applications and conventions). portal/urls.py includes these."""

from aides.catalogue.urls import agents as catalogue_agents
from aides.catalogue.urls import public as catalogue_public
from aides.conventions.urls import espace as conventions_espace
from aides.conventions.urls import saf
from aides.demandes.urls import espace as demandes_espace
from aides.demandes.urls import instruction, rattachements

public = (catalogue_public.urlpatterns, "aides")
espace = ([*conventions_espace.urlpatterns, *demandes_espace.urlpatterns], "espace")
agents = ([*catalogue_agents.urlpatterns, *rattachements.urlpatterns], "aides_agents")
instruction = (instruction.urlpatterns, "aides_instruction")
saf = (saf.urlpatterns, "aides_saf")
