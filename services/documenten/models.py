"""The documenten service's tables, on one MetaData with the runtime's outbox, inbox and idempotency keys."""

from sds.runtime.db import new_metadata

metadata = new_metadata()

from services.documenten.gebruiksrechten import models as _gebruiksrechten  # noqa: E402,F401
from services.documenten.informatieobjecten import models as _informatieobjecten  # noqa: E402,F401
from services.documenten.objectinformatieobjecten import models as _oio  # noqa: E402,F401
from services.documenten.verzendingen import models as _verzendingen  # noqa: E402,F401
