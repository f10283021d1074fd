"""The two receiving endpoints. Server-to-server, so no CSRF token and no session."""

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from filmstrip.limits.clients import client_address

from . import pingback
from .models import Backlink
from .receiving import Refused, receive
from .targets import site_hosts

MAX_FORM_BYTES = 8 * 1024


def _text(message: str, status: int) -> HttpResponse:
    return HttpResponse(f"{message}\n", status=status, content_type="text/plain; charset=utf-8")


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@csrf_exempt
@require_POST
def webmention(request):
    """W3C Webmention: ``source`` and ``target``, form-encoded; 202 once queued for checking."""
    if _declared_length(request) > MAX_FORM_BYTES or len(request.body) > MAX_FORM_BYTES:
        return _text(f"The request is larger than {MAX_FORM_BYTES} bytes.", 413)
    try:
        receive(
            request.POST.get("source", ""),
            request.POST.get("target", ""),
            kind=Backlink.Kind.WEBMENTION,
            hosts=site_hosts(request),
            sender_ip=client_address(request),
        )
    except Refused as exc:
        return _text(exc.message, exc.status)
    return _text("Accepted: the source will be checked for a link to the target.", 202)


@csrf_exempt
@require_POST
def xmlrpc(request):
    """Pingback over XML-RPC: the ping queued, or a fault saying why not; faults are answered
    with HTTP 200, as XML-RPC requires."""
    if _declared_length(request) > pingback.MAX_BODY:
        message = f"The request is larger than {pingback.MAX_BODY} bytes."
        return _xml(pingback.fault(pingback.Fault.GENERIC, message))
    hosts, sender_ip = site_hosts(request), client_address(request)
    try:
        source, target = pingback.parse_ping(request.body)
        receive(source, target, kind=Backlink.Kind.PINGBACK, hosts=hosts, sender_ip=sender_ip)
    except (pingback.NotAPing, Refused) as exc:
        return _xml(pingback.fault(exc.fault, exc.message))
    return _xml(
        pingback.response(f"Pingback from {source} to {target} received; it will be verified.")
    )


def _xml(body: bytes) -> HttpResponse:
    return HttpResponse(body, content_type="text/xml; charset=utf-8")
