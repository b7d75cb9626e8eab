"""The suite's wire contracts: event envelope, event types and their JSON Schemas."""

from contracts.envelope import CloudEvent, subject_for
from contracts.events import (
    EVENT_TYPES,
    EventData,
    EventType,
    UnknownEventType,
    event_type,
    make_event,
    parse_data,
)

__all__ = ["EVENT_TYPES", "CloudEvent", "EventData", "EventType", "UnknownEventType", "event_type",
           "make_event", "parse_data", "subject_for"]
