"""What a page answers when the resource it names is unknown (``api/formats.py`` turns it into a 404).

The other answer instead of data, parameters a page cannot serve, is :class:`kg.paging.BadPage` (a 400).
Both carry a :class:`kg.i18n.Message` (the text in the user's language, and its stable code) and any
``extra`` the answer offers (suggestions, candidates).
"""

from kg.i18n import Explained, Message


class NotFound(Explained, KeyError):
    """An unknown concept, class, scheme, article, view or tour."""

    __str__ = Explained.__str__  # not KeyError's quoted repr


__all__ = ["Message", "NotFound"]
