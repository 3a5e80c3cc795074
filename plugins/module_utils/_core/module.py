# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""One definition per module, and the module-process adapter that runs it under ``AnsibleModule``.

A module of this collection is a :class:`ModuleDefinition`: its argument spec and its ``run`` function, side
by side in ``_<module>.py``. Everything that runs a module reads that one object:

* the module file (``plugins/modules/<module>.py``) calls :func:`run_as_module`, in a module process,
  wherever the task runs;
* the action plugin (``plugins/action/<module>.py``) runs the same definition in Ansible's worker process on a
  local connection (``plugins/plugin_utils/_in_process.py``, controller-only code);
* the unit tests run it both ways.

``run(params, check_mode, diff, warn)`` never exits: it returns the result, reports warnings through ``warn``
and raises :class:`TaskFailed` with the fields of a failed result.

Adding a module: write ``_<module>.py`` with its ``run`` and ``DEFINITION``, then the two files that name it
(see docs/development.md, "Adding a module" and "Adding a resource").
"""

from __future__ import annotations

import copy
import decimal
import math
import threading

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.volcengine.live.plugins.module_utils._core.profile import (
    ProfileError,
    apply_profile,
    credentials_origin,
)
from ansible_collections.volcengine.live.plugins.module_utils._core.rules import ValidationError

# The options whose values are secret wherever they come from (an option, the environment, a profile file).
SECRET_OPTIONS = ('secret_key', 'session_token')


class TaskFailed(Exception):
    """The task fails with ``msg`` and the extra result ``fields``."""

    def __init__(self, msg, **fields):
        super().__init__(msg)
        self.msg = msg
        self.fields = fields


def validated(normalize, *args):
    """``normalize(*args)``; a broken rule fails the task, naming the option."""
    try:
        return normalize(*args)
    except ValidationError as exc:
        raise TaskFailed(str(exc), option=exc.option) from exc


def api_failure(error, hint=None, **fields):
    """The :class:`TaskFailed` of a :class:`_core.errors.LiveApiError`: changed when it followed a write that may
    have taken effect, with the error's fields and ``fields``, and ``hint`` after its message."""
    msg = str(error) + (' Hint: %s.' % hint if hint else '')
    return TaskFailed(msg, **dict(fields, changed=error.after_write, **error.to_result()))


def warn_answer_lost(warn, what, detail=''):
    """The one warning of a write whose answer was lost but which a fresh look found carried out."""
    warn(
        'The answer to a write was lost, but looking %s up again showed it was carried out; nothing was sent '
        'twice.%s' % (what, ' ' + detail if detail else '')
    )


class ModuleDefinition:
    """A module: its name, argument spec and spec options (``required_if``, ...), and what it does."""

    def __init__(self, name, argument_spec, run, supports_check_mode=True, **spec_options):
        self.name = name
        self._argument_spec = argument_spec
        self.run = run
        self.supports_check_mode = supports_check_mode
        self._spec_options = spec_options

    def __repr__(self):
        return '<ModuleDefinition %s>' % self.fqcn

    @property
    def fqcn(self):
        return 'volcengine.live.%s' % self.name

    @property
    def argument_spec(self):
        """A fresh copy: whoever validates against it may change it."""
        return copy.deepcopy(self._argument_spec)

    @property
    def spec_options(self):
        """The keyword arguments of ``ArgumentSpecValidator`` besides the spec itself."""
        return copy.deepcopy(self._spec_options)

    def module_kwargs(self):
        """The keyword arguments of ``AnsibleModule``."""
        return dict(self.spec_options, argument_spec=self.argument_spec, supports_check_mode=self.supports_check_mode)


def run_as_module(definition, module_class=AnsibleModule):
    """Run ``definition`` as a module: parameters from ``AnsibleModule``, result through its exit.

    ``module_class`` is ``AnsibleModule`` in a module process; the in-process path passes core's ``AnsibleModule``
    with its result hook overridden (``plugins/plugin_utils/_in_process.py``).
    """
    module = numbers_tamed(module_class, definition.argument_spec)(**definition.module_kwargs())
    warn = warn_once(module.warn)
    try:
        params = with_profile(module.params, module.no_log_values, warn, getattr(module, 'given', ()))
        result = definition.run(params, module.check_mode, module._diff, warn)
    except TaskFailed as exc:
        module.fail_json(msg=exc.msg, **exc.fields)
    module.exit_json(**result)


def warn_once(warn):
    """``warn`` that says each message once a task: its parts (pacing, locks, the threads of a list) may meet one
    problem each (ansible-core before 2.19 repeats a warning given twice)."""
    said, lock = set(), threading.Lock()

    def once(message):
        with lock:
            if message in said:
                return
            said.add(message)
        warn(message)

    return once


def numbers_tamed(module_class, argument_spec):
    """``module_class`` whose parameters pass through :func:`tame_numbers` before core validates them."""

    class Tamed(module_class):
        def _load_params(self):
            super()._load_params()
            self.given = frozenset(self.params)  # the options the task set, before fallbacks and defaults
            self.params = tame_numbers(self.params, argument_spec)

    return Tamed


# A whole number of this many digits or more is no value of any option; core's int conversion of an infinite one
# raises OverflowError, and one of over 4300 digits cannot even be written into the result.
_HUGE_DIGITS = 30


def tame_numbers(params, argument_spec):
    """``params`` with every value of an ``int`` option that core's conversion cannot take cleanly (infinite, NaN,
    or of more than 30 digits) replaced by a text that names the problem, which core then refuses with its usual
    message naming the option. Pure; suboptions included."""
    if not isinstance(params, dict):
        return params
    tamed = dict(params)
    for name, spec in argument_spec.items():
        for key in [name] + list(spec.get('aliases') or []):
            if key in tamed:
                tamed[key] = _tame_option(tamed[key], spec)
    return tamed


def _tame_option(value, spec):
    kind, elements, options = spec.get('type'), spec.get('elements'), spec.get('options')
    if kind == 'int':
        return _tame_int(value)
    if kind == 'list' and isinstance(value, list):
        if elements == 'int':
            return [_tame_int(item) for item in value]
        if options:
            return [tame_numbers(item, options) for item in value]
    if kind == 'dict' and options:
        return tame_numbers(value, options)
    return value


def _tame_int(value):  # noqa: PLR0911 - one return per form an int option may arrive in
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else 'not a finite number (%r)' % value
    if isinstance(value, int):
        return value if abs(value) < 10**_HUGE_DIGITS else 'a number of more than %d digits' % _HUGE_DIGITS
    if isinstance(value, str):
        try:
            number = decimal.Decimal(value.strip())
        except (decimal.DecimalException, ValueError):
            return value  # core refuses it cleanly
        if not number.is_finite():
            return 'not a finite number (%s)' % value.strip()[:20]
        if number.adjusted() >= _HUGE_DIGITS:
            return 'a number of more than %d digits' % _HUGE_DIGITS
    return value


def with_profile(params, no_log_values, warn, given=()):
    """The module's parameters with the credentials of the ve CLI profile they name (``_profile``), if any, and
    ``_credentials_from``: where the credentials came from, for the hints of credential refusals (``given``: the
    options the task set).

    The secrets a profile gives are masked as the options' are: they join ``no_log_values`` (ansible-core up to
    2.21) and core's secret registry (2.22 and later), so that no output ever shows them.
    """
    if 'profile' not in params:
        return params
    try:
        params, name, notes = apply_profile(params)
    except ProfileError as exc:
        raise TaskFailed(str(exc), option='profile') from exc
    for note in notes:
        warn(note)
    if name is not None:
        secrets = [params[option] for option in SECRET_OPTIONS if params.get(option)]
        no_log_values.update(secrets)
        register_secrets(secrets)
    return dict(params, _credentials_from=credentials_origin(params, given, name))


def register_secrets(values):
    """Register ``values`` with core's secret masker, where the core has one (2.22 and later)."""
    try:
        from ansible.module_utils.secrets import register_secrets as register
    except ImportError:  # earlier cores mask what no_log_values holds
        return
    register(values)
