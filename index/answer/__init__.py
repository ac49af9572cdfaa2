"""The answer room: what a conversation carries from one question to the next."""

from index.answer.conversation import Carry, Conversation, Turn
from index.answer.prior import Prior

__all__ = ["Carry", "Conversation", "Prior", "Turn"]
