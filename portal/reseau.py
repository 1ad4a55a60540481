"""The client's address, in one place (rate limits, signature records).

REMOTE_ADDR for now: behind a reverse proxy it is the proxy's; the version with django-ipware
(trusted proxy count) replaces this function without changing its callers."""


def adresse_client(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None
