"""Which files of a folder are worth trying as photos. No Django here, so that a benchmark or a
script picks files by the folder import's own rule without setting Django up."""

from pathlib import Path

# Files that travel with photos but are not photos; skipped without a complaint.
SIDECAR_SUFFIXES = {".xmp", ".aae", ".thm", ".json"}


def candidate_files(folder: Path) -> list[Path]:
    """Visible files that are not sidecars, by name; whether each is a photo is probe's call."""
    return sorted(
        path
        for path in folder.iterdir()
        if path.is_file()
        and not path.name.startswith(".")
        and path.suffix.lower() not in SIDECAR_SUFFIXES
    )
