# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Compare two runs of paths.yml, one per execution path: registered results and what -vvvv showed.

Usage: compare_paths.py IN_PROCESS_RESULTS MODULE_RESULTS IN_PROCESS_LOG MODULE_LOG SECRET...

Values that differ between any two runs (task and request ids, the stream prefix that names the path) are
replaced by placeholders first. What each path logs about itself (a module process's EXEC and PUT lines, the
in-process path's -vvv line) is not compared; the results each task showed, the warnings and the deprecations are.
Exits 1 naming every difference, any secret that was shown, and any deprecation warning.
"""

from __future__ import annotations

import difflib
import json
import re
import sys

PLACEHOLDERS = [
    (re.compile(r'paths-(true|false)'), 'paths-PATH'),
    (re.compile(r'paths(true|false)'), 'pathsPATH'),  # a pull-to-push title: letters and digits only
    # A module process's payload directory, in the tracebacks ansible-core 2.16-2.18 add at -vvv.
    (re.compile(r'ansible_[\w.]+_payload_\w+'), 'ansible_MODULE_payload_DIR'),
    (re.compile(r'\b\d{14}[0-9A-F]{18}\b'), 'REQUEST-ID'),  # the simulator's request ids
    (re.compile(r'\b\d{13,19}\b'), 'TASK-ID'),  # the simulator's task ids
    (re.compile(r'\b[0-9a-f]{32}\b'), 'TASK-ID'),  # its pull-to-push TaskIds
]
RESULT_START = re.compile(r'^(ok|changed|failed|fatal|skipping): \[[^]]+\]')
SHOWN_LINE = re.compile(r'^(\[WARNING\]|\[DEPRECATION WARNING\]|\.\.\.ignoring|TASK \[)')


def normalize(text):
    for pattern, placeholder in PLACEHOLDERS:
        text = pattern.sub(placeholder, text)
    return text


def shown(log):
    """The lines of a -vvvv log that a user reads as the tasks' outcome: task headers, results, warnings."""
    lines = []
    in_result = False
    for line in log.splitlines():
        if RESULT_START.match(line):
            in_result = line.rstrip().endswith('{')
            lines.append(line)
        elif in_result:
            lines.append(line)
            in_result = line != '}'
        elif SHOWN_LINE.match(line):
            lines.append(line)
    return [normalize(line) for line in lines]


def main(argv):  # noqa: PLR0912 - one branch per difference between the paths that it reports
    results_in_process, results_module, log_in_process, log_module = argv[:4]
    secrets = argv[4:]
    problems = []
    results = []
    for path in (results_in_process, results_module):
        with open(path, encoding='utf-8') as handle:
            results.append(json.loads(normalize(handle.read())))
    for task in sorted(set(results[0]) | set(results[1])):
        one, other = results[0].get(task), results[1].get(task)
        if one != other:
            problems.append(
                'registered result of %r differs:\n%s'
                % (
                    task,
                    '\n'.join(
                        difflib.unified_diff(
                            json.dumps(other, indent=2, sort_keys=True).splitlines(),
                            json.dumps(one, indent=2, sort_keys=True).splitlines(),
                            'module process',
                            'in-process',
                            lineterm='',
                        )
                    ),
                )
            )
    logs = []
    for path in (log_in_process, log_module):
        with open(path, encoding='utf-8') as handle:
            logs.append(handle.read())
    shown_in_process, shown_module = shown(logs[0]), shown(logs[1])
    if shown_in_process != shown_module:
        problems.append(
            'the -vvvv output differs:\n%s'
            % '\n'.join(
                difflib.unified_diff(shown_module, shown_in_process, 'module process', 'in-process', lineterm='')
            )
        )
    for label, log in zip(('in-process', 'module process'), logs):
        for index, secret in enumerate(secrets):
            if secret in log:
                problems.append('the %s -vvvv output shows secret %d' % (label, index))
        for line in log.splitlines():
            if '[DEPRECATION WARNING]' in line:
                problems.append('the %s run printed a deprecation warning: %s' % (label, line))
    if not shown_in_process or not results[0]:
        problems.append('nothing to compare: the runs showed no task results')
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print('ok: %d registered results and %d shown lines agree' % (len(results[0]), len(shown_in_process)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
