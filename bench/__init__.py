"""Performance measurements of the Conduit functions: `python -m bench` (see docs/performance.md).

Importing the package puts the template's layer directories on sys.path, as Lambda does with /opt,
so the bench modules can use the layer's key builders and serialisers.
"""

import sys

from localapi.template import load as _load_template

for _layer in _load_template().layer_dirs():
    if str(_layer) not in sys.path:
        sys.path.insert(0, str(_layer))
