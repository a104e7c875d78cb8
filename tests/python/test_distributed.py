"""cosmodrome.distributed on a real local Ray cluster: a head node and a second worker node,
each a separate raylet with its own worker processes, on this machine (loopback). The
distributed results must equal the local runs bit for bit."""

import os

import pytest

import cosmodrome

ray = pytest.importorskip("ray", reason="ray is not installed") if not os.environ.get("COSMODROME_REQUIRE_RAY") else __import__("ray")
from ray.cluster_utils import Cluster  # noqa: E402

from cosmodrome import distributed  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    c.add_node(num_cpus=1)
    ray.init(address=c.address, include_dashboard=False, log_to_driver=False)
    yield c
    ray.shutdown()
    c.shutdown()


def test_the_cluster_has_two_nodes(cluster):
    assert len([n for n in ray.nodes() if n["Alive"]]) == 2


def test_monte_carlo_chunks_on_ray_equal_the_local_run(cluster, tmp_path):
    kw = dict(site="vostochny", inclination_deg=51.9, payload_kg=6000, seed=11)
    local = cosmodrome.dropzones("soyuz-2.1b", samples=600, **kw).impacts.arrow
    # Chunks of 250 (the last one shorter), on both nodes.
    on_ray = distributed.dropzones_impacts("soyuz-2.1b", samples=600, chunk_samples=250, out_dir=tmp_path,
                                           progress=False, **kw).arrow
    assert on_ray.num_rows == local.num_rows > 0
    assert on_ray.equals(local), "bit-identical to the local run"
    # Another seed gives other impacts (the comparison can fail).
    other = distributed.dropzones_impacts("soyuz-2.1b", samples=600, chunk_samples=250, progress=False,
                                          **{**kw, "seed": 12}).arrow
    assert not other.equals(local)
    # Resume: a lost chunk file is computed again, the others are read back.
    chunks = sorted(p for p in os.listdir(tmp_path) if p.startswith("chunk-"))
    assert len(chunks) == 3
    os.remove(tmp_path / chunks[1])
    mtime = os.path.getmtime(tmp_path / chunks[0])
    again = distributed.dropzones_impacts("soyuz-2.1b", samples=600, chunk_samples=250, out_dir=tmp_path,
                                          progress=False, **kw).arrow
    assert again.equals(local)
    assert os.path.exists(tmp_path / chunks[1]) and os.path.getmtime(tmp_path / chunks[0]) == mtime
    # A damaged chunk file (cut short by a full disk, say) is computed again too.
    (tmp_path / chunks[2]).write_bytes((tmp_path / chunks[2]).read_bytes()[:100])
    mended = distributed.dropzones_impacts("soyuz-2.1b", samples=600, chunk_samples=250, out_dir=tmp_path,
                                           progress=False, **kw).arrow
    assert mended.equals(local)
    with pytest.raises(ValueError, match="another campaign"):
        distributed.dropzones_impacts("soyuz-2.1b", samples=600, chunk_samples=100, out_dir=tmp_path, progress=False, **kw)


def test_the_same_chunks_in_process_equal_the_local_run():
    kw = dict(site="vostochny", inclination_deg=51.9, payload_kg=6000, seed=3, samples=300)
    local = cosmodrome.dropzones("soyuz-2.1b", **kw).impacts.arrow
    assert distributed.dropzones_impacts("soyuz-2.1b", chunk_samples=77, use_ray=False, progress=False, **kw).arrow.equals(local)


def test_a_sweep_on_ray_equals_the_local_sweep(cluster):
    # Five altitudes: each chain's fifth point starts from its first, beside the three between.
    grid = dict(sites="vostochny", altitudes_km=[200, 300, 400, 500, 600], inclinations_deg=[51.9, "sso", 30.0])
    local = cosmodrome.sweep("soyuz-2.1b", **grid).arrow
    on_ray = distributed.sweep("soyuz-2.1b", progress=False, **grid).arrow
    assert on_ray.equals(local)
    # 30° at every altitude, and the SSOs of 200 and 300 km (96.3° and 96.7°) outside Vostochny's 97–99°.
    assert on_ray.column("status").to_pylist().count("unreachable") == 7


def test_a_sweep_from_a_site_file_on_ray_equals_the_local_sweep(cluster, tmp_path, monkeypatch):
    # A relative path: the tasks read the file in workers whose directory is another.
    (tmp_path / "my-pad.toml").write_text(
        'format = 1\n[[site]]\nid = "wallops-0a"\ncosmodrome = "wallops"\nname = "Wallops LP-0A"\n'
        'latitude_deg = 37.8338\nlongitude_deg = -75.4881\naltitude_m = 0.0\nsource = "test"\n')
    monkeypatch.chdir(tmp_path)
    grid = dict(sites=["vostochny", "my-pad.toml"], altitudes_km=[200, 500])
    local = cosmodrome.sweep("soyuz-2.1b", **grid).arrow
    on_ray = distributed.sweep("soyuz-2.1b", progress=False, **grid).arrow
    assert on_ray.equals(local)
    assert on_ray.column("site").to_pylist() == ["vostochny", "vostochny", "wallops-0a", "wallops-0a"]


def test_a_parameter_sweep_on_ray_equals_the_local_sweep(cluster):
    grid = dict(inclinations_deg=[63.0], vary="stage.URM-2.propellant_mass_kg=30000:40000:5000")
    local = cosmodrome.sweep("angara-a5", **grid).arrow
    on_ray = distributed.sweep("angara-a5", progress=False, **grid).arrow
    assert on_ray.equals(local)
    # Over two altitudes the chains run along the altitude for each value.
    grid["altitudes_km"] = [200, 600]
    assert distributed.sweep("angara-a5", progress=False, **grid).arrow.equals(cosmodrome.sweep("angara-a5", **grid).arrow)


def test_a_100k_sample_monte_carlo_on_ray_equals_the_local_run(cluster):
    """The issue's campaign size: 100 000 samples per body in chunks of 25 000 on both nodes,
    bit-identical to the local run (a couple of seconds of falls per 100 000 on 2 cores)."""
    kw = dict(site="vostochny", inclination_deg=51.9, payload_kg=6000, seed=2026, samples=100_000)
    local = cosmodrome.dropzones("soyuz-2.1b", **kw).impacts.arrow
    on_ray = distributed.dropzones_impacts("soyuz-2.1b", chunk_samples=25_000, progress=False, **kw).arrow
    assert local.num_rows == on_ray.num_rows >= 100_000
    assert on_ray.equals(local)


def test_chunks_of_an_ascent_shaped_to_drop_zones_equal_the_local_run():
    kw = dict(site="baikonur", inclination_deg=51.6, drop_zones="baikonur-iss", seed=5, samples=120)
    local = cosmodrome.dropzones("soyuz-2.1b", **kw).impacts.arrow
    chunks = distributed.dropzones_impacts("soyuz-2.1b", chunk_samples=50, use_ray=False, progress=False, **kw).arrow
    assert chunks.equals(local)
    unshaped = {k: v for k, v in kw.items() if k != "drop_zones"}
    assert not distributed.dropzones_impacts("soyuz-2.1b", chunk_samples=50, use_ray=False, progress=False,
                                             **unshaped).arrow.equals(local)


def test_a_parameter_sweep_is_cut_into_the_values_the_core_reads():
    path, values = distributed._vary_values("stage.URM-2.propellant_mass_kg=0.1:0.3:0.1")
    assert path == "stage.URM-2.propellant_mass_kg" and len(values) == 3, values
    assert distributed._vary_values(("stage.URM-2.dry_mass_kg", [1, 2.5])) == ("stage.URM-2.dry_mass_kg", [1.0, 2.5])
    with pytest.raises(cosmodrome.InvalidInputError):
        distributed._vary_values("stage.URM-2.dry_mass_kg=3:1:1")


def test_bad_input_is_refused_before_any_task_and_a_workers_error_arrives_typed(cluster):
    with pytest.raises(cosmodrome.UnknownIdError, match="unknown site `vostochni`"):
        distributed.sweep("soyuz-2.1b", sites=["vostochni"], progress=False)
    with pytest.raises(cosmodrome.InvalidInputError) as e:
        distributed.sweep("soyuz-2.1b", altitudes_km=[float("nan")], progress=False)
    assert e.value.key == "altitudes_km"
    # An empty axis is a mistake, not an empty chart (as the local sweep and the web API say).
    with pytest.raises(cosmodrome.InvalidInputError) as e:
        distributed.sweep("soyuz-2.1b", sites=[], progress=False)
    assert e.value.key == "sites"
    for kwargs, key in [(dict(samples=0), "samples"), (dict(chunk_samples=2.5), "chunk_samples")]:
        with pytest.raises(cosmodrome.InvalidInputError) as e:
            distributed.dropzones_impacts("soyuz-2.1b", progress=False, **kwargs)
        assert e.value.key == key, (kwargs, e.value)
    # The site of a drop-zone campaign is read in the workers: their error reaches the caller
    # as the package's own exception.
    with pytest.raises(cosmodrome.UnknownIdError, match="vostochni"):
        distributed.dropzones_impacts("soyuz-2.1b", site="vostochni", samples=4, chunk_samples=2, progress=False)


def test_an_address_nobody_answers_at_is_refused_at_once():
    # A closed port on this machine: refused within the timeout, not retried by Ray for minutes.
    import socket
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    for address in (f"127.0.0.1:{port}", f"ray://127.0.0.1:{port}"):
        with pytest.raises(ConnectionError, match=f"cannot reach the Ray cluster at {address}"):
            distributed._check_reachable(address, 2.0)
    assert time.monotonic() - started < 4.5
    for address in ("head-node", "ray://head-node:port", ":6379"):
        with pytest.raises(cosmodrome.InvalidInputError) as e:
            distributed._check_reachable(address, 2.0)
        assert e.value.key == "address", address
    distributed._check_reachable(None, 2.0)
    distributed._check_reachable("auto", 2.0)
