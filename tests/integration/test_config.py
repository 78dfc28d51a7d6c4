# `fdyno version`, and where `fdyno serve` takes its settings from:
# command-line flag > FDYNO_* environment > TOML config file > default.
import http.client
import re
import subprocess

import pytest

from conftest import FDYNO_BIN, FdynoServer, clean_env, free_port, require_binary


def distinct_ports(n):
    ports = set()
    while len(ports) < n:
        ports.add(free_port())
    return list(ports)


def port_answers(port):
    """True if something answers GET / with 200 on 127.0.0.1:port."""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        conn.request("GET", "/")
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except OSError:
        return False


def start_expecting(port, args, env=None, tmp_path=None):
    srv = FdynoServer(args, port=port, listen=False, env=env, log_dir=tmp_path)
    return srv.start()


def test_version_prints_version():
    require_binary()
    p = subprocess.run([FDYNO_BIN, "version"], capture_output=True, text=True, timeout=30, env=clean_env())
    assert p.returncode == 0, p.stderr
    assert re.search(r"\b\d+\.\d+\.\d+\b", p.stdout), p.stdout


def test_config_file_selects_listen_address(tmp_path):
    port = free_port()
    cfg = tmp_path / "fdyno.toml"
    cfg.write_text(f'listen = "127.0.0.1:{port}"\nin_memory = true\n')
    srv = start_expecting(port, ["--config", str(cfg)], tmp_path=tmp_path)
    try:
        assert srv.healthy()
    finally:
        assert srv.stop() == 0


def test_config_file_from_env_variable(tmp_path):
    port = free_port()
    cfg = tmp_path / "fdyno.toml"
    cfg.write_text(f'listen = "127.0.0.1:{port}"\nin-memory = true\n')
    srv = start_expecting(port, [], env={"FDYNO_CONFIG": str(cfg)}, tmp_path=tmp_path)
    try:
        assert srv.healthy()
    finally:
        srv.stop()


def test_env_overrides_config_file(tmp_path):
    p_file, p_env = distinct_ports(2)
    cfg = tmp_path / "fdyno.toml"
    cfg.write_text(f'listen = "127.0.0.1:{p_file}"\n')
    srv = start_expecting(p_env, ["--config", str(cfg), "--in-memory"],
                          env={"FDYNO_LISTEN": f"127.0.0.1:{p_env}"}, tmp_path=tmp_path)
    try:
        assert srv.healthy()
        assert not port_answers(p_file)
    finally:
        srv.stop()


def test_flag_overrides_env_and_config_file(tmp_path):
    p_file, p_env, p_flag = distinct_ports(3)
    cfg = tmp_path / "fdyno.toml"
    cfg.write_text(f'listen = "127.0.0.1:{p_file}"\n')
    srv = FdynoServer(["--config", str(cfg), "--in-memory"], port=p_flag, listen=True,
                      env={"FDYNO_LISTEN": f"127.0.0.1:{p_env}"}, log_dir=tmp_path).start()
    try:
        assert srv.healthy()
        for other in (p_file, p_env):
            assert not port_answers(other)
    finally:
        srv.stop()


def test_env_selects_storage(tmp_path):
    port = free_port()
    srv = start_expecting(port, [], env={"FDYNO_LISTEN": f"127.0.0.1:{port}", "FDYNO_IN_MEMORY": "true"},
                          tmp_path=tmp_path)
    try:
        assert re.search(r"memory", srv.log_text(), re.I), srv.log_text()
    finally:
        srv.stop()


def test_startup_prints_endpoint_and_memory_storage(tmp_path):
    port = free_port()
    srv = FdynoServer(["--in-memory"], port=port, log_dir=tmp_path).start()
    try:
        out = srv.log_text()
        assert f"http://127.0.0.1:{port}" in out, out
        assert re.search(r"storage:.*memory", out, re.I), out
    finally:
        srv.stop()


def test_startup_prints_endpoint_and_rocksdb_storage(tmp_path):
    port = free_port()
    data = tmp_path / "data"
    srv = FdynoServer(["--data-dir", str(data)], port=port, log_dir=tmp_path).start()
    try:
        out = srv.log_text()
        assert f"http://127.0.0.1:{port}" in out, out
        assert re.search(r"storage:.*rocksdb", out, re.I), out
    finally:
        srv.stop()


@pytest.mark.parametrize("content", ['listen = 5\n', 'no_such_setting = "x"\n', 'listen = "127.0.0.1:\n'])
def test_bad_config_file_is_rejected(tmp_path, content):
    require_binary()
    cfg = tmp_path / "bad.toml"
    cfg.write_text(content)
    p = subprocess.run([FDYNO_BIN, "serve", "--config", str(cfg), "--in-memory",
                        "--listen", f"127.0.0.1:{free_port()}"],
                       capture_output=True, text=True, timeout=30, env=clean_env())
    assert p.returncode != 0
    assert p.stderr.strip(), "a refused config should say why"


def test_verify_without_credentials_is_rejected(tmp_path):
    require_binary()
    p = subprocess.run([FDYNO_BIN, "serve", "--in-memory", "--auth", "verify",
                        "--listen", f"127.0.0.1:{free_port()}"],
                       capture_output=True, text=True, timeout=30, env=clean_env())
    assert p.returncode != 0
    assert "credentials" in p.stderr
