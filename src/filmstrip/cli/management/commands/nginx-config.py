"""filmstrip nginx-config: print a server block for Debian's nginx in front of `filmstrip serve`."""

from dataclasses import replace
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from filmstrip.cli import nginx


class Command(BaseCommand):
    help = (
        "Print an nginx configuration (a server block for Debian's nginx) that serves the "
        "published site, renditions and static files from disk and proxies the rest to "
        "`filmstrip serve`."
    )

    def add_arguments(self, parser):
        default = nginx.defaults()
        parser.add_argument(
            "--server-name",
            default=default.server_name,
            help=f"nginx server_name (default {default.server_name}, FILMSTRIP_SITE_URL's host).",
        )
        parser.add_argument(
            "--listen",
            default=default.listen,
            help="nginx listen: a port or address:port (default 80).",
        )
        parser.add_argument(
            "--upstream",
            default=default.upstream,
            help=f"host:port of `filmstrip serve` (default {default.upstream}, as serve uses).",
        )
        parser.add_argument(
            "--brotli",
            choices=("auto", "yes", "no"),
            default="auto",
            help="Send .br siblings (brotli_static); auto: when libnginx-mod-http-brotli-static "
            "is installed here.",
        )

    def handle(self, *, server_name, listen, upstream, brotli, **_):
        options = replace(
            nginx.defaults(), server_name=server_name, listen=listen, upstream=upstream
        )
        if brotli != "auto":
            options = replace(options, brotli=brotli == "yes")
        self.stdout.write(nginx.config(options), ending="")
        self._warn(options)

    def _warn(self, options):
        """What would make nginx fall back to Django for everything, said on stderr."""
        static = Path(settings.STATIC_ROOT)
        if not static.is_dir() or not any(static.iterdir()):
            self.stderr.write(
                f"Note: {static} is empty: run `filmstrip collectstatic --no-input` (and again "
                "after each upgrade) so that nginx can send the static files."
            )
        if not options.brotli:
            self.stderr.write(
                "Note: Brotli is off; `apt-get install libnginx-mod-http-brotli-static` and make "
                "the configuration again to send the .br files."
            )
        for path in (nginx.published_dir(), static):
            closed = nginx.unreadable(path)
            if closed:
                self.stderr.write(
                    f"Note: {closed} is closed to other users, so nginx's workers (www-data on "
                    f"Debian) cannot read {path}: run Filmstrip as www-data, or set `user` in "
                    "/etc/nginx/nginx.conf to the user that runs Filmstrip."
                )
                break
