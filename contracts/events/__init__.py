"""Event types of the suite: a data model per type, the registry, and the helpers to make and read events."""

from contracts.events.fields import EventData
from contracts.events.registry import (
    EVENT_TYPES,
    EventType,
    UnknownEventType,
    event_type,
    make_event,
    parse_data,
)

__all__ = ["EVENT_TYPES", "EventData", "EventType", "UnknownEventType", "event_type", "make_event",
           "parse_data"]
