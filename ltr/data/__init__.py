"""Data layer: the real TalkPlayData layout, the turn table, and the embedded synthetic world."""

from ltr.data.dataset import Dataset, open_dataset
from ltr.data.embeddings import Embeddings
from ltr.data.errors import DataError

__all__ = ["DataError", "Dataset", "Embeddings", "open_dataset"]
