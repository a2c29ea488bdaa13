"""What a page answers when the resource it names is unknown (``api/formats.py`` turns it into a 404).

The other answer instead of data, parameters a page cannot serve, is :class:`kg.paging.BadPage` (a 400).
"""


class NotFound(KeyError):
    """An unknown concept, class, scheme, article, view or tour."""


__all__ = ["NotFound"]
