"""The beleidsinfo service's tables: the runtime's outbox, inbox and idempotency keys so far."""

from sds.runtime.db import new_metadata

metadata = new_metadata()
