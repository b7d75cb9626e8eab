"""The zaken service's tables, on one MetaData with the runtime's outbox, inbox and idempotency keys.

The tables live beside the code that uses them (``catalogi``, ``zaken``, ``besluiten``, ``plannen``); importing them
here puts every one on ``metadata`` for Alembic and the migration test.
"""

from sds.runtime.db import new_metadata

metadata = new_metadata()

from services.zaken.besluiten import models as _besluiten  # noqa: E402,F401
from services.zaken.catalogi import models as _catalogi  # noqa: E402,F401
from services.zaken.plannen import models as _plannen  # noqa: E402,F401
from services.zaken.zaken import models as _zaken  # noqa: E402,F401
