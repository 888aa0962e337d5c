"""Placeholder: routes of this part are not written yet."""

from flask import Flask


def register(app: Flask) -> None:
    pass
