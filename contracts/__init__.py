"""The suite's wire contracts: event envelope, event types and their JSON Schemas."""

from contracts.envelope import CloudEvent, subject_for

__all__ = ["CloudEvent", "subject_for"]
