from gateway.applicaties import metadata
from sds.runtime.migrations import run_env

run_env(metadata)
