from sds.runtime.migrations import run_env
from services.documenten.models import metadata

run_env(metadata)
