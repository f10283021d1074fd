"""Object storage by configuration: with the FILMSTRIP_S3_* variables set, originals and
renditions live in S3-compatible buckets (django-storages' S3 backend) instead of the data
directory. ``config`` reads the variables (at settings time, so a half-given configuration stops
start-up), ``backends`` is the storage Django uses, ``probes`` the start-up checks of the buckets.
"""
