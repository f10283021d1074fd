"""Pingback's XML-RPC, both ways, through the standard library's xmlrpc made safe by defusedxml.

Only ``pingback.ping(sourceURI, targetURI)`` is served. Requests are parsed by defusedxml's
expat parser with document type declarations refused, so entity expansion ("billion laughs")
and external entities never happen; a body larger than :data:`MAX_BODY` is not parsed at all.
"""

import xmlrpc.client

from defusedxml import DefusedXmlException
from defusedxml.xmlrpc import DefusedExpatParser

from .models import Backlink
from .receiving import Refused, receive

MAX_BODY = 64 * 1024
METHOD = "pingback.ping"


def _unmarshal(body: bytes) -> tuple[tuple, str | None]:
    """(params, method name) of an XML-RPC body; xmlrpc.client.Fault for a fault response."""
    unmarshaller = xmlrpc.client.Unmarshaller()
    parser = DefusedExpatParser(unmarshaller, forbid_dtd=True)
    parser.feed(body)
    parser.close()
    return unmarshaller.close(), unmarshaller.getmethodname()


def parse_call(body: bytes) -> tuple[str, tuple]:
    """The method and parameters of an XML-RPC call; Refused (fault 0) when it is not one."""
    if len(body) > MAX_BODY:
        raise Refused(f"The request is larger than {MAX_BODY} bytes.")
    try:
        params, method = _unmarshal(body)
    except DefusedXmlException:
        raise Refused("Document type declarations and entities are not accepted.") from None
    except Exception:  # expat, and the unmarshaller's many complaints about malformed values
        raise Refused("The request is not a valid XML-RPC call.") from None
    if not method:
        raise Refused("The request is not a valid XML-RPC call (no methodName).")
    return method, params


def parse_response(body: bytes):
    """The value an XML-RPC server answered; xmlrpc.client.Fault if it answered a fault."""
    params, _method = _unmarshal(body)
    return params[0] if params else None


def response(value) -> bytes:
    return xmlrpc.client.dumps((value,), methodresponse=True, allow_none=False).encode()


def fault(code: int, message: str) -> bytes:
    return xmlrpc.client.dumps(xmlrpc.client.Fault(int(code), message)).encode()


def call(source: str, target: str) -> bytes:
    """The body of a ``pingback.ping`` call we send."""
    return xmlrpc.client.dumps((source, target), METHOD).encode()


def handle(body: bytes, *, hosts, sender_ip=None) -> bytes:
    """Answer one XML-RPC request: the ping queued, or a fault saying why not."""
    try:
        method, params = parse_call(body)
        if method != METHOD:
            return fault(-32601, f"Unknown method {method[:100]!r}; only {METHOD} is served.")
        if len(params) != 2 or not all(isinstance(p, str) for p in params):
            raise Refused(f"{METHOD} takes two strings: sourceURI and targetURI.")
        source, target = params
        receive(source, target, kind=Backlink.Kind.PINGBACK, hosts=hosts, sender_ip=sender_ip)
    except Refused as exc:
        return fault(exc.fault, exc.message)
    return response(f"Pingback from {source} to {target} received; it will be verified.")
