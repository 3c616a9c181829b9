"""Failures a user can cause, each a one-line reason the command line turns into an exit code."""


class StoreError(Exception):
    """The index cannot be used as it is."""


class IndexNotFound(StoreError):
    """There is no index in this folder."""


class ModelMismatch(StoreError):
    """The index was built with another model or chunker."""


class IndexUnreadable(StoreError):
    """The index file cannot be opened as an SQLite database."""


class SchemaTooNew(StoreError):
    """The index was written by a newer version of this program."""


class AlreadyRunning(Exception):
    """Another ingest holds this index."""


class NothingToIngest(Exception):
    """The paths given hold nothing that could be read."""


class RunStopped(Exception):
    """The run stopped part-way (a full disk, a damaged write); what it committed stays, the next run finishes."""


class GoldFileError(ValueError):
    """A gold-question file has a line that is not a gold question."""
