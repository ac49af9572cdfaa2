"""The answer room: what a conversation carries from one question to the next."""

from .conversation import Carry, Conversation, Turn
from .prior import Prior

__all__ = ["Carry", "Conversation", "Prior", "Turn"]
