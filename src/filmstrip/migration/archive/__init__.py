"""The whole site as one file, and back: ``filmstrip export archive`` and ``import archive``.

The layout (docs/archive.md) is in ``layout``; ``export`` writes it, ``restore`` reads it into an
empty database, through ``reader``, which refuses any archive that is not safe to read.
"""


class ArchiveError(Exception):
    """An archive that cannot be written or restored, with a message for the operator."""
