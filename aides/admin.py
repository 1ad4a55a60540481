"""Django finds `<app>.admin`: aides registers the admin pages of each sub-domain here."""

from aides.catalogue import admin as catalogue  # noqa: F401
from aides.conventions import admin as conventions  # noqa: F401
from aides.conventions import admin_paiement  # noqa: F401
from aides.demandes import admin as demandes  # noqa: F401
