from sds.runtime.migrations import run_env
from services.beleidsinfo.models import metadata

run_env(metadata)
