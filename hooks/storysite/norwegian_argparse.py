"""argparse in Norwegian: the command line's own help and errors in the editor's language.

argparse looks up every text it prints through ``gettext`` (``argparse._``) at the moment it prints
it. ``Parser`` swaps in the Norwegian texts below while it builds, parses and prints, and restores
argparse afterwards, so nothing else in the process is touched.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from typing import Any

NORWEGIAN = {
    "usage: ": "Bruk: ",
    "positional arguments": "argumenter",
    "options": "valg",
    "show this help message and exit": "vis denne hjelpen og avslutt",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: feil: %(message)s\nSkriv «%(prog)s -h» for hjelp.\n",
    "the following arguments are required: %s": "dette mangler: %s",
    "unrecognized arguments: %s": "ukjent valg eller for mange argumenter: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "«%(value)s» finnes ikke (velg blant %(choices)s)",
    "invalid %(type)s value: %(value)r": "«%(value)s» er ikke gyldig",
    "expected one argument": "skriv én verdi etter valget",
    "expected at most one argument": "skriv høyst én verdi etter valget",
    "expected at least one argument": "skriv minst én verdi etter valget",
    "ambiguous option: %(option)s could match %(matches)s": "valget %(option)s kan bety flere: %(matches)s",
    "one of the arguments %s is required": "ett av disse må være med: %s",
    "not allowed with argument %s": "kan ikke brukes sammen med %s",
    "ignored explicit argument %r": "valget tar ingen verdi: %r",
    "unexpected option string: %s": "uventet valg: %s",
}


def translate(message: str) -> str:
    return NORWEGIAN.get(message, message)


@contextlib.contextmanager
def norwegian() -> Iterator[None]:
    """argparse's texts in Norwegian while the block runs."""
    english = argparse._  # type: ignore[attr-defined]
    argparse._ = translate  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = english  # type: ignore[attr-defined]


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` that speaks Norwegian; its sub-commands' parsers are of this class too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with norwegian():
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        with norwegian():
            return super().add_subparsers(**kwargs)

    def parse_args(self, args: Any = None, namespace: Any = None) -> Any:
        with norwegian():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        with norwegian():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with norwegian():
            return super().format_usage()

    def format_help(self) -> str:
        with norwegian():
            return super().format_help()

    def error(self, message: str) -> Any:
        with norwegian():
            return super().error(message)
