"""What `filmstrip serve`'s web processes pass to Django (project/web_guard.py).

The request time limit itself is tested against a real granian in tests/cli/test_resilience.py.
"""

import os

from filmstrip.project.web_guard import WebGuard


def test_django_sees_the_request_and_not_the_process_environment(monkeypatch):
    monkeypatch.setenv("FILMSTRIP_SECRET_KEY", "not-for-request-meta")
    monkeypatch.setenv("DATABASE_URL", "postgres://filmstrip:hunter2@db/filmstrip")
    seen = {}

    def django(environ, start_response):
        seen.update(environ)
        start_response("200 OK", [])
        return [b""]

    request = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/webmention",
        "QUERY_STRING": "",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": "12",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.7",
        "HTTP_HOST": "photos.example.org",
        "HTTP_X_FORWARDED_FOR": "198.51.100.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": object(),
    }
    # As granian builds it: the whole process environment, then the request's keys.
    environ = {**os.environ, **request}
    for timeout in (0, 60):  # with the time limit off, and on
        seen.clear()
        WebGuard(django, timeout=timeout)(environ, lambda *a: None)
        assert seen == request
    assert "not-for-request-meta" not in repr(seen) and "hunter2" not in repr(seen)
