"""ltr: a learning-to-rank toolkit for conversational music recommendation (Music-CRS / TalkPlayData)."""

__version__ = "0.2.0"
