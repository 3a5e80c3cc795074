# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Reading a List action page by page, whatever the resource: when a page is the last, and the checks of
what a page holds. Pure: the page fetcher is given.
"""

from __future__ import annotations

from ansible_collections.volcengine.live.plugins.module_utils._core.errors import LiveApiError


def query_value(value):
    """A body field as a GET query carries it, as the official SDK's ``get(..., doseq=1)`` does: a number or a
    boolean as Python writes it (``True``), a list as one pair per item. Pure."""
    if isinstance(value, (list, tuple)):
        return [query_value(item) for item in value]
    return str(value)


def _whole(value):
    """An int other than a bool, or None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def is_last_page(page, size, count, pagination):
    """Whether a page of a paginated List answer is the last one. Pure.

    Trusts ``PageTotal``/``TotalCount`` when present and falls back on a short
    page, so a missing or inconsistent ``Pagination`` never loops forever.
    """
    if count < size:
        return True
    total_pages = _whole(pagination.get('PageTotal'))
    if total_pages is not None:
        return page >= total_pages
    total = _whole(pagination.get('TotalCount'))
    if total is not None:
        return page * size >= total
    return False


def invalid_answer(action, what, request_id=None):
    """The error of an answer that is not what ``action`` answers (``what``: how it is not)."""
    return LiveApiError(action, 'InvalidResponse', what, request_id=request_id, status=200)


def objects(value):
    """Whether ``value`` is a list of objects (JSON: a list of dicts)."""
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def list_page(result, action, what, request_id):
    """``(items, pagination)`` of one page of a List answer. Pure.

    ``List`` must be a list of objects (an absent one is empty) and ``Pagination`` an object (an absent one is
    empty, and :func:`is_last_page` then goes by the page's length); anything else fails as ``InvalidResponse``,
    ``what`` saying what the list should have been.
    """
    items = result.get('List') or []
    pagination = result.get('Pagination') or {}
    if not objects(items):
        raise invalid_answer(action, 'the answer is not a list of %s' % what, request_id)
    if not isinstance(pagination, dict):
        raise invalid_answer(action, "the answer's Pagination is not an object", request_id)
    return items, pagination


# More pages than this in one List (500 relay sources a page: half a million) is a service answering wrongly.
MAX_PAGES = 1000


def every_page(fetch_page, size, action, max_pages=MAX_PAGES):
    """Every item of a paginated List, page after page: ``fetch_page(page)`` answers one page (1, 2, ...) as
    ``(items, pagination)``, where ``pagination`` holds ``PageTotal`` and/or ``TotalCount`` as far as the answer
    says. Stops as :func:`is_last_page` says. A generator: no request is sent before the first item is asked for.

    A List of ``action`` that is still not over after ``max_pages`` pages is not what the service answers: it
    fails as ``InvalidResponse`` rather than read for ever.
    """
    page = 1
    while True:
        items, pagination = fetch_page(page)
        yield from items
        if is_last_page(page, size, len(items), pagination):
            return
        if page >= max_pages:
            raise invalid_answer(action, 'the list did not end after %d pages of %d' % (max_pages, size))
        page += 1
