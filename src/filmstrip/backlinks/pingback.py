"""Pingback's XML-RPC, both ways, through the standard library's xmlrpc made safe by defusedxml.

A codec and nothing more: bytes in, values out, and the fault codes the specification gives
each refusal. What a ping does is the view's business (:func:`.views.xmlrpc`). Requests are
parsed by defusedxml's expat parser with document type declarations refused, so entity
expansion ("billion laughs") and external entities never happen; a body larger than
:data:`MAX_BODY` is not parsed at all.
"""

import xmlrpc.client
from enum import IntEnum

from defusedxml import DefusedXmlException
from defusedxml.xmlrpc import DefusedExpatParser

MAX_BODY = 64 * 1024
METHOD = "pingback.ping"


class Fault(IntEnum):
    """The Pingback specification's fault codes (Webmention answers 400 for all of them), and
    XML-RPC's own for a method nobody serves."""

    GENERIC = 0
    SOURCE_MISSING = 0x0010
    NO_LINK = 0x0011
    TARGET_MISSING = 0x0020
    TARGET_UNUSABLE = 0x0021
    ALREADY_REGISTERED = 0x0030
    ACCESS_DENIED = 0x0031
    UNKNOWN_METHOD = -32601  # the XML-RPC fault code interoperability specification's


class NotAPing(Exception):
    """The body is no ``pingback.ping`` call; ``message`` says why, ``fault`` is its code."""

    def __init__(self, message: str, fault: Fault = Fault.GENERIC):
        super().__init__(message)
        self.message, self.fault = message, fault


def _unmarshal(body: bytes) -> tuple[tuple, str | None]:
    """(params, method name) of an XML-RPC body; xmlrpc.client.Fault for a fault response."""
    unmarshaller = xmlrpc.client.Unmarshaller()
    parser = DefusedExpatParser(unmarshaller, forbid_dtd=True)
    parser.feed(body)
    parser.close()
    return unmarshaller.close(), unmarshaller.getmethodname()


def parse_call(body: bytes) -> tuple[str, tuple]:
    """The method and parameters of an XML-RPC call; NotAPing (fault 0) when it is not one."""
    if len(body) > MAX_BODY:
        raise NotAPing(f"The request is larger than {MAX_BODY} bytes.")
    try:
        params, method = _unmarshal(body)
    except DefusedXmlException:
        raise NotAPing("Document type declarations and entities are not accepted.") from None
    except Exception:  # expat, and the unmarshaller's many complaints about malformed values
        raise NotAPing("The request is not a valid XML-RPC call.") from None
    if not method:
        raise NotAPing("The request is not a valid XML-RPC call (no methodName).")
    return method, params


def parse_ping(body: bytes) -> tuple[str, str]:
    """``(sourceURI, targetURI)`` of a ``pingback.ping`` call; NotAPing otherwise."""
    method, params = parse_call(body)
    if method != METHOD:
        raise NotAPing(
            f"Unknown method {method[:100]!r}; only {METHOD} is served.", Fault.UNKNOWN_METHOD
        )
    if len(params) != 2 or not all(isinstance(p, str) for p in params):
        raise NotAPing(f"{METHOD} takes two strings: sourceURI and targetURI.")
    source, target = params
    return source, target


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
