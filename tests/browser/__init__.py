"""Browser tests: the built site in headless Chromium (accessibility, privacy, offline, search).

A package, so that this folder's ``conftest.py`` does not take the place of ``tests/conftest.py``
(both would otherwise be imported as the module ``conftest``).
"""
