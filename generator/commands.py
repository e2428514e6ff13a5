"""Subcommands beyond check/build/serve/new, each registered here."""

from __future__ import annotations


def register(sub) -> None:
    return None
