"""A WSGI application with a request that never ends, to test the request time limit."""

import os
import time

from filmstrip.project.web_guard import WebGuard


def stuck(environ, start_response):
    if environ["PATH_INFO"] == "/stuck":
        while True:  # busy, as a runaway render would be
            time.monotonic()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(os.getpid()).encode()]


app = WebGuard(stuck)
