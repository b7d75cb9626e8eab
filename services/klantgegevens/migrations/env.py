from sds.runtime.migrations import run_env
from services.klantgegevens.models import metadata

run_env(metadata)
