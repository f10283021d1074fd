"""Debian's nginx as a test (or benchmark) starts it: in the foreground, files in one folder.

The server block comes from `filmstrip nginx-config`; around it goes what Debian's own
/etc/nginx/nginx.conf says (modules, mime.types, sendfile, gzip, an access log), with paths of
our own so that no root-owned folder or port is needed.
"""

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

from tests.browser.conftest import running

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")

MAIN = """\
daemon off;
{user}
worker_processes {workers};
pid {folder}/nginx.pid;
error_log {folder}/error.log;
{modules}
events {{
    worker_connections 512;
}}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {access_log};
    gzip on;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
{http}
}}
"""


def available() -> bool:
    return Path(NGINX).exists() and BROTLI_MODULE.exists()


def main_config(
    folder: Path, http: str, *, workers: int | str = 1, access_log: bool = True
) -> Path:
    """An nginx.conf in ``folder`` whose http block holds ``http``; its path."""
    text = MAIN.format(
        folder=folder,
        # As root, nginx's workers would otherwise become `nobody`, who cannot read the data
        # directory (0700); Debian runs them as www-data, which the deployment docs address.
        user="user root;" if os.geteuid() == 0 else "",
        workers=workers,
        modules=f"load_module {BROTLI_MODULE};" if BROTLI_MODULE.exists() else "",
        access_log=f"{folder}/access.log" if access_log else "off",
        http=http,
    )
    path = folder / "nginx.conf"
    path.write_text(text)
    return path


@contextmanager
def nginx(folder: Path, http: str, *, ready_url: str, env=None, **options):
    """A real nginx with ``http`` in its http block, for the length of the block."""
    conf = main_config(folder, http, **options)
    command = [NGINX, "-c", str(conf), "-e", str(folder / "error.log")]
    with running(command, env or dict(os.environ), ready_url=ready_url) as process:
        yield process
