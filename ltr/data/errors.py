"""The one exception bad input raises: it names the dataset, file, column or row and what was expected."""

from __future__ import annotations


class DataError(ValueError):
    """Input data does not match the TalkPlayData layout or contents the toolkit expects."""
