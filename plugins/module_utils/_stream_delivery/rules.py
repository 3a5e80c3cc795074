# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Validation of what a task asks about stream delivery: which streams are online, one stream's state, a relayed
stream's recent source metrics.

Pure functions: no I/O, no Ansible imports; a violation raises :class:`_core.rules.ValidationError` naming the option.
The normalised query is::

    {'domain': str or None, 'vhost': str or None, 'app': str or None, 'stream': str or None,
     'source_types': ('relay', 'push') or one of them, 'metrics': bool, 'metrics_minutes': int}

exactly one of ``domain`` and ``vhost`` set, and ``stream`` only with ``app``.
"""

from __future__ import annotations

from ansible_collections.volcengine.live.plugins.module_utils._core.rules import (
    APP_MAX,
    STREAM_MAX,
    ValidationError,
    validate_domain,
    validate_name,
    validate_vhost,
)

SOURCE_TYPES = ('relay', 'push')
# How the option names both.
BOTH = 'both'
# A metrics query covers at most one day (DescribeLiveSourceStreamMetrics).
METRICS_MINUTES_MAX = 24 * 60
DEFAULT_METRICS_MINUTES = 5


def _given(value):
    return value is not None and value != ''


def source_types(value, option='source_type'):
    """``('relay', 'push')`` for ``both`` (or nothing), else the one type named."""
    if not _given(value) or value == BOTH:
        return SOURCE_TYPES
    if value not in SOURCE_TYPES:
        raise ValidationError(option, 'must be relay, push or both, got %r' % (value,))
    return (value,)


def metrics_minutes(value, option='metrics_minutes'):
    """Whole minutes from 1 to a day, the span of recent metrics asked for."""
    if not _given(value):
        return DEFAULT_METRICS_MINUTES
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(option, 'must be whole minutes, got %r' % (value,))
    if not 1 <= value <= METRICS_MINUTES_MAX:
        raise ValidationError(
            option, 'must be 1 to %d minutes (a query covers at most a day), got %d' % (METRICS_MINUTES_MAX, value)
        )
    return value


def normalize_query(params):
    """The normalised query of the task's options (see the module docstring)."""
    domain, vhost = params.get('domain'), params.get('vhost')
    if _given(domain) == _given(vhost):
        raise ValidationError('domain', 'give exactly one of domain and vhost (a domain space)')
    query = {
        'domain': validate_domain(domain) if _given(domain) else None,
        'vhost': validate_vhost(vhost) if _given(vhost) else None,
        'app': validate_name('app', params['app'], APP_MAX) if _given(params.get('app')) else None,
        'stream': validate_name('stream', params['stream'], STREAM_MAX) if _given(params.get('stream')) else None,
        'source_types': source_types(params.get('source_type')),
        'metrics': bool(params.get('metrics')),
        'metrics_minutes': metrics_minutes(params.get('metrics_minutes')),
    }
    if query['stream'] is not None and query['app'] is None:
        raise ValidationError('app', 'is required with stream: a stream is named by its app and its name')
    if query['metrics'] and query['stream'] is None:
        raise ValidationError('metrics', 'needs app and stream: metrics are those of one relayed stream')
    return query
