from sds.runtime.migrations import run_env
from services.notificaties.models import metadata

run_env(metadata)
