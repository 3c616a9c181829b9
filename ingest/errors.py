"""Why a file could not be read, in words a clerk understands."""


class IngestError(Exception):
    """A file could not be turned into minutes."""


class EmptyFile(IngestError):
    """The file is empty."""


class FileTooLarge(IngestError):
    """The file is over the size limit."""


class UnsupportedFormat(IngestError):
    """The file's extension is not one we read."""


class NotText(IngestError):
    """The file holds binary data, not text."""


class CorruptFile(IngestError):
    """The file is damaged or is not what its extension says."""


class PasswordProtected(IngestError):
    """The PDF needs a password to open."""


class NoTextLayer(IngestError):
    """The PDF has no text layer: scanned pages need OCR."""


class NoText(IngestError):
    """The file opened but holds no readable text."""


class Unreadable(IngestError):
    """The file could not be opened: missing, a folder, or no permission."""
