from functools import cache
from pathlib import Path

from django.db.backends.sqlite3 import base

from filmstrip.project import datadir


@cache  # once per process and file: SQLite opens a connection for every request's thread
def _prepare(database: str) -> None:
    datadir.private_file(Path(database))
    datadir.prepare()


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        if not self.is_in_memory_db():
            _prepare(str(conn_params["database"]))
        return super().get_new_connection(conn_params)
