"""What a page can answer instead of its data: the resource is unknown, or the request asks what it cannot serve.

``api/formats.py`` turns :class:`NotFound` into a 404 and :class:`BadPage` into a 400; the core says which, the
API says how.
"""


class NotFound(KeyError):
    """An unknown concept, class, scheme, article, view or tour."""


class BadPage(ValueError):
    """Page parameters a resource cannot serve (a page number out of range, a refused query): the API answers 400."""


__all__ = ["BadPage", "NotFound"]
