# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sphinx configuration of the collection's docs site (built by tools/test.sh docs-site with antsibull-docs)."""

import os

project = 'volcengine.live'
copyright = 'volcengine.live collection contributors'  # noqa: A001
title = 'volcengine.live Collection Documentation'
html_short_title = title

extensions = ['sphinx.ext.intersphinx', 'sphinx_antsibull_ext']
pygments_style = 'ansible'
highlight_language = 'YAML+Jinja'
html_theme = 'sphinx_ansible_theme'
html_show_sphinx = False
display_version = False
html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False
default_role = 'any'
nitpicky = True

# The build runs offline: the labels the generated pages link to in the Ansible docs come from a small
# local inventory (tools/docs/make_inventory.py) instead of a download.
intersphinx_mapping = {
    'ansible_devel': (
        'https://docs.ansible.com/projects/ansible/devel/',
        os.path.join(os.path.dirname(os.path.abspath(__file__)), 'ansible_devel.inv'),
    ),
}
