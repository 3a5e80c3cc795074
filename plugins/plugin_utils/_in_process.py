# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Run a module's definition in Ansible's worker process, as ``AnsibleModule`` would in a module process.

Controller-only: the action plugins import this; no module payload ever carries it.

``AnsibleModule`` validates a module's arguments with ``ArgumentSpecValidator`` and then reads three things
from the ``ValidationResult`` that ansible-core keeps private: the values to mask (``_no_log_values``), the
"both option and alias set" warnings (``_warnings``) and the deprecations of options and aliases
(``_deprecations``). Running the same validation in-process needs the same three. :func:`unsupported_reason`
probes the running ansible-core once; when it lacks any of them, the action plugin runs a module process
instead and says why at -vvv, so a change in ansible-core costs speed, never correctness.
"""

from __future__ import annotations

from collections.abc import Mapping

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError

from ansible_collections.volcengine.live.plugins.module_utils._module import TaskFailed

_PROBE_SPEC = {
    'probe': {
        'type': 'str',
        'no_log': True,
        'aliases': ['probe_alias'],
        'deprecated_aliases': [{'name': 'probe_alias', 'version': '99.0.0', 'collection_name': 'volcengine.live'}],
    },
}


def _probe():
    """Why this ansible-core cannot validate in-process as AnsibleModule does, or None."""
    try:
        result = ArgumentSpecValidator(_PROBE_SPEC).validate({'probe': 'probe-value', 'probe_alias': 'probe-value'})
    except Exception as exc:  # pylint: disable=broad-exception-caught
        return 'ArgumentSpecValidator failed on a probe: %s' % exc
    for attribute, kind in (('_no_log_values', set), ('_warnings', list), ('_deprecations', list)):
        if not isinstance(getattr(result, attribute, None), kind):
            return 'its ValidationResult has no %s' % attribute
    if 'probe-value' not in result._no_log_values:
        return 'its ValidationResult._no_log_values misses a no_log value'
    if not any(isinstance(w, dict) and w.get('alias') == 'probe_alias' for w in result._warnings):
        return 'its ValidationResult._warnings are not of the known form'
    if not any(
        isinstance(d, dict) and 'probe_alias' in '%s %s' % (d.get('name'), d.get('msg')) for d in result._deprecations
    ):
        return 'its ValidationResult._deprecations are not of the known form'
    return None


_UNSUPPORTED = _probe()


def module_args(value):
    """``value`` in the plain types a module process receives its arguments in: what JSON gives back.

    A task's templated arguments are Ansible's own subclasses (tagged or unsafe strings, lists and dicts, with
    their origin attached). A module process gets them through JSON, as plain ``dict``, ``list``, ``str``,
    ``int``, ``float`` and ``bool``; so does the in-process path, which also spares argument validation a deep
    copy of every tag (on a list of 10,000 relay sources, about 50 MB). Anything else is left as it is, for
    the validation to judge.
    """
    if isinstance(value, Mapping):
        return {str(key): module_args(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [module_args(item) for item in value]
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value


def unsupported_reason():
    """Why modules cannot run in-process on this ansible-core, or None (probed once, at import)."""
    return _UNSUPPORTED


def validation_error(result, name):
    """The message AnsibleModule would fail with for an argument-spec ValidationResult, or None."""
    errors = result.errors.errors
    if not errors:
        return None
    msg = result.errors.msg
    if isinstance(errors[0], UnsupportedError):
        msg = 'Unsupported parameters for (%s) module: %s' % (name, msg)
    return msg


def deprecation(entry):
    """A deprecation of the validator as AnsibleModule reports it in a result's ``deprecations``."""
    msg = entry.get('msg') or "Alias '%s' is deprecated. See the module docs for more information" % entry.get('name')
    reported = {'msg': msg}
    for key in ('version', 'date', 'collection_name'):
        if entry.get(key) is not None:
            reported[key] = entry[key]
    return reported


def run_task(definition, args, check_mode, diff, name=None, invocation=True):
    """Validate ``args`` against ``definition`` and run it; return the result a module process would return.

    ``name`` is the module's name as the task wrote it (its FQCN by default). ``invocation``: whether the
    result echoes the validated arguments as ``invocation.module_args``, as ``AnsibleModule`` does when
    ansible-core asks it to. No-log values (the secret key, the session token) are masked everywhere in the
    result.
    """
    validator = ArgumentSpecValidator(definition.argument_spec, **definition.spec_options)
    validated = validator.validate(module_args(args))
    params = validated.validated_parameters
    warnings = [
        'Both option %s and its alias %s are set.' % (item['option'], item['alias']) for item in validated._warnings
    ]
    error = validation_error(validated, name or definition.fqcn)
    if error:
        result = dict(failed=True, msg=error)
    else:
        try:
            result = definition.run(params, check_mode, diff, warnings.append)
        except TaskFailed as exc:
            result = dict(exc.fields, failed=True, msg=exc.msg)
    if not result.get('failed'):
        result.setdefault('changed', False)
    if invocation:
        result['invocation'] = {'module_args': params}
    else:
        result.pop('invocation', None)
    if warnings:
        result['warnings'] = warnings
    deprecations = [deprecation(entry) for entry in validated._deprecations]
    if deprecations:
        result['deprecations'] = deprecations
    return remove_values(result, validated._no_log_values)
