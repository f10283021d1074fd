class ImageError(Exception):
    """A photo that cannot be used; the message says why in words an author understands."""
