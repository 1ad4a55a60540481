"""Logging helpers: what `make run` and the servers print, without noise."""

import logging


class SansTraceSous500(logging.Filter):
    """Drop the traceback of a 4xx logged by `django.request` (403, 400): one line is enough.

    A 403 is an expected answer (an outsider, a missing role), not a fault; a 500 keeps its trace.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        statut = getattr(record, "status_code", None)
        if statut is not None and statut < 500:
            record.exc_info = None
            record.exc_text = None
        return True
