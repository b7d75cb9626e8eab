from sds.runtime.migrations import run_env
from services.financien.models import metadata

run_env(metadata)
