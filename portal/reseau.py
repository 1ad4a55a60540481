"""The client's address, read one way everywhere (login throttling, signature evidence, logs).

`PROXY_COUNT` is the number of trusted reverse proxies in front of the portal (load balancer,
nginx…), each appending to X-Forwarded-For the address it received the request from. The client is
then the N-th address from the right of X-Forwarded-For: the one that the outermost trusted proxy
saw; whatever the client itself put on the left of it is ignored. With 0 (the default: the portal
faces the clients), X-Forwarded-For is ignored altogether, since anybody can forge it.
"""

from django.conf import settings
from ipware import get_client_ip


def adresse_client(request) -> str | None:
    """The client's IP address as a string, or None when the request carries none."""
    nombre = settings.PROXY_COUNT
    if nombre > 0:
        # django-ipware counts the proxies written in the header: all ours but the last one,
        # whose address is REMOTE_ADDR.
        adresse, _ = get_client_ip(
            request,
            proxy_order="left-most",
            proxy_count=nombre - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
        if adresse:
            return adresse
    # No trusted proxy, or a request that reached the portal without going through them.
    adresse, _ = get_client_ip(request, request_header_order=["REMOTE_ADDR"])
    return adresse
