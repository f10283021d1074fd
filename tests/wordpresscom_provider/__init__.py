"""A stand-in for WordPress.com's OAuth2 server on loopback, for the sign-in tests.

It speaks the protocol Filmstrip's provider talks to public-api.wordpress.com: the authorize
page (approve or deny), the token endpoint (form-encoded, client secret in the body, codes used
once, bound to client and redirect URI) and ``/rest/v1/me`` with a bearer token. The test holds
the server object and may tell it to answer the token request badly.
"""

import json
import secrets
import threading
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

PROFILE = {
    "ID": 41873902,
    "display_name": "Maren Holt",
    "username": "marenholt",
    "email": "maren@example.org",
    "email_verified": True,
    "primary_blog": 90211,
    "primary_blog_url": "https://marenholt.example.org",
    "avatar_URL": "https://gravatar.example/avatar/0",
    "profile_URL": "https://gravatar.example/marenholt",
    "verified": True,
}


@dataclass
class StandIn:
    client_id: str
    client_secret: str
    redirect_uri: str
    profile: dict = field(default_factory=lambda: dict(PROFILE))
    # What the token endpoint answers instead of a token, when set: (status, content type, body).
    bad_token_answer: tuple[int, str, bytes] | None = None
    me_refuses_tokens: bool = False  # tokens issued, then not honoured by /rest/v1/me
    codes: dict[str, str] = field(default_factory=dict)  # code -> redirect_uri it was issued for
    tokens: set[str] = field(default_factory=set)
    authorize_requests: list[dict[str, str]] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    url: str = ""

    def serve(self) -> ThreadingHTTPServer:
        stand_in = self

        class Handler(_Handler):
            server_state = stand_in

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server


class _Handler(BaseHTTPRequestHandler):
    server_state: StandIn

    def log_message(self, format, *args):  # quiet in test output
        pass

    def do_GET(self):
        url = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        if url.path == "/oauth2/authorize":
            self._authorize_page(query)
        elif url.path.rstrip("/") == "/rest/v1/me":
            self._me()
        else:
            self._json(404, {"error": "unknown_endpoint"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        path = urlsplit(self.path).path
        if path == "/oauth2/authorize":
            self._decide(form)
        elif path == "/oauth2/token":
            self._token(form)
        else:
            self._json(404, {"error": "unknown_endpoint"})

    # The reader's side: a page asking them to approve, then back to the client with a code.
    def _authorize_page(self, query):
        state = self.server_state
        state.authorize_requests.append(query)
        problem = self._client_problem(query)
        if problem:
            self._json(400, {"error": "invalid_request", "error_description": problem})
            return
        hidden = "".join(
            f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
            for k, v in query.items()
        )
        page = (
            "<!doctype html><title>Authorize</title><form method=post>"
            f"{hidden}<button name=decision value=approve>Approve</button>"
            "<button name=decision value=deny>Deny</button></form>"
        )
        self._send(200, "text/html; charset=utf-8", page.encode())

    def _decide(self, form):
        state = self.server_state
        problem = self._client_problem(form)
        if problem:
            self._json(400, {"error": "invalid_request", "error_description": problem})
            return
        if form.get("decision") == "approve":
            code = secrets.token_urlsafe(16)
            state.codes[code] = form["redirect_uri"]
            answer = {"code": code}
        else:
            answer = {"error": "access_denied", "error_description": "You need to log in."}
        if "state" in form:
            answer["state"] = form["state"]
        self.send_response(302)
        self.send_header("Location", f"{form['redirect_uri']}?{urlencode(answer)}")
        self.end_headers()

    def _client_problem(self, params) -> str:
        state = self.server_state
        if params.get("client_id") != state.client_id:
            return "Unknown client_id."
        if params.get("redirect_uri") != state.redirect_uri:
            return "Invalid redirect_uri."
        if params.get("response_type") != "code":
            return "Invalid response_type."
        return ""

    # The client's side: a code for a token, then a token for the account.
    def _token(self, form):
        state = self.server_state
        state.token_requests.append(form)
        if state.bad_token_answer:
            self._send(*state.bad_token_answer)
            return
        if (form.get("client_id"), form.get("client_secret")) != (
            state.client_id,
            state.client_secret,
        ):
            self._json(400, {"error": "invalid_client", "error_description": "Unknown client."})
            return
        issued_for = state.codes.pop(form.get("code", ""), None)
        if form.get("grant_type") != "authorization_code" or issued_for is None:
            self._json(400, {"error": "invalid_grant", "error_description": "Invalid code."})
            return
        if form.get("redirect_uri") != issued_for:
            self._json(400, {"error": "invalid_grant", "error_description": "Bad redirect_uri."})
            return
        token = secrets.token_urlsafe(24)
        state.tokens.add(token)
        answer = {"access_token": token, "token_type": "bearer", "blog_id": "0", "blog_url": ""}
        self._json(200, answer | {"scope": "auth"})

    def _me(self):
        kind, _, token = (self.headers.get("Authorization") or "").partition(" ")
        state = self.server_state
        if kind.lower() != "bearer" or token not in state.tokens or state.me_refuses_tokens:
            self._json(403, {"error": "authorization_required", "message": "Log in first."})
            return
        self._json(200, state.profile)

    def _json(self, status, data):
        self._send(status, "application/json", json.dumps(data).encode())

    def _send(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
