from sds.runtime.migrations import run_env
from services.zaken.models import metadata

run_env(metadata)
