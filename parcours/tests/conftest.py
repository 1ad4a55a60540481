import pytest

from parcours.selectors import cache_catalogue


@pytest.fixture(autouse=True)
def catalogue_sans_cache():
    """Each test starts without the process's cached catalogue (its rows belong to another test)."""
    cache_catalogue.vider()
    yield
    cache_catalogue.vider()
