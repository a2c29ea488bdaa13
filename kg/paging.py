"""Pagination: the one shape every paged resource reports (browse, the pinyin index, search, the graph views).

A page shows up to ``limit`` items from ``offset``, of ``total`` (None where the resource stops counting, as
search does once it has a page and one more); ``next`` is the offset of the following page, None on the last.
``number`` and ``pages`` count pages of ``limit`` items, for addresses that take ``page=`` (browse, the index).
In JSON a resource gives it as its ``page`` object (:meth:`Page.as_dict`), with the same keys everywhere.

Addresses may count pages (``page=2``: :func:`page_by_number`) or items (``offset=``: :func:`page_by_offset`);
both give the same :class:`Page`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence, TypeVar

from kg.i18n import Explained, Message

T = TypeVar("T")


class BadPage(Explained, ValueError):
    """Page parameters a resource cannot serve (a page number out of range, a refused query): the API answers 400.
    Its message is a :class:`kg.i18n.Message` (``extra``: what the answer offers instead, e.g. candidates)."""


def check_window(offset: int | None, limit: int | None) -> None:
    """The one check of an address's ``offset`` and ``limit``: neither may be negative, nor ``limit`` 0
    (:class:`BadPage`).  Each resource checks its own upper bound."""
    if offset is not None and offset < 0:
        raise BadPage(Message("negative", name="offset", value=offset))
    if limit is not None and limit < 1:
        raise BadPage(Message("below_one", name="limit", value=limit))


@dataclass(frozen=True)
class Page:
    offset: int  # the first item shown, counting from 0
    limit: int  # the most items a page shows
    total: int | None  # items in all; None when unknown
    next: int | None  # the offset of the next page; None on the last

    @property
    def number(self) -> int:
        """The page's number, from 1."""
        return self.offset // self.limit + 1

    @property
    def pages(self) -> int | None:
        """How many pages of ``limit`` items hold ``total`` (at least 1); None when the total is unknown."""
        return None if self.total is None else max(1, -(-self.total // self.limit))

    def as_dict(self) -> dict:
        return {"offset": self.offset, "limit": self.limit, "total": self.total, "next": self.next,
                "number": self.number, "pages": self.pages}


def page_by_offset(items: Sequence[T], offset: int, limit: int) -> tuple[Sequence[T], Page]:
    """The ``limit`` items from ``offset`` and the page they make (the caller checks the range)."""
    check_window(offset, limit)
    shown = items[offset:offset + limit]
    end = offset + len(shown)
    return shown, Page(offset, limit, len(items), end if end < len(items) else None)


def page_by_number(items: Sequence[T], number: int, size: int) -> tuple[Sequence[T], Page]:
    """Page ``number`` (from 1) of ``items`` in pages of ``size``; :class:`BadPage` if there is no such page."""
    pages = max(1, -(-len(items) // size))
    if not 1 <= number <= pages:
        raise BadPage(Message("page_range", pages=pages, number=number))
    return page_by_offset(items, (number - 1) * size, size)


def first_page(shown: int, limit: int, more: bool) -> Page:
    """The page of a resource that looks for one item more than it shows (search) to tell whether there are
    more: ``shown`` items found; the total is known only when there are no more.  Such a resource has no
    next page to go to (it takes no offset): it offers more results by a larger limit instead."""
    return Page(0, limit, None if more else shown, None)
