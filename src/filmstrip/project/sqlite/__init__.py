"""Django's SQLite backend, creating the database file privately on first connection."""
