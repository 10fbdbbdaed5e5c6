"""The listener reader: a turn's conversation (never its gold) read into a typed state — reaction to the last
pick, artist pivot, named entities, asked and rejected attributes, the kind of ask — for the ranker's
``listener`` features and ``entity`` generator and for the responder."""

from ltr.listener.entities import EntityIndex, Mention
from ltr.listener.reader import ReactionReader
from ltr.listener.state import Entity, Listener, ListenerState, check_aligned, fitted_listener

__all__ = ["Entity", "EntityIndex", "Listener", "ListenerState", "Mention", "ReactionReader", "check_aligned", "fitted_listener"]
