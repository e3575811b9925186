"""Settings: TOML, environment overrides, and refusals a self-hoster can act on."""

import stat

import pytest

from server.errors import ConfigError
from server.settings import load_settings, pairing_code, serving_settings


def write(tmp_path, text: str):
    path = tmp_path / "zmot.toml"
    path.write_text(text)
    return path


def test_defaults_serve_on_loopback_port_8750():
    settings = load_settings(env={})
    assert (settings.server.host, settings.server.port) == ("127.0.0.1", 8750)
    assert settings.fetch.max_redirects == 5
    assert settings.store.sqlite_path().name == "zmot.sqlite3"


def test_toml_values_are_read(tmp_path):
    path = write(
        tmp_path,
        '[server]\nport = 9000\ntokens = ["t1"]\n[fetch]\nresolve = {"shop.test" = "127.0.0.1:8081"}\n'
        "[briefing]\ndeadline_s = 2\n",
    )
    settings = load_settings(path, env={})
    assert settings.server.port == 9000
    assert settings.server.tokens == ["t1"]
    assert settings.fetch.resolve == {"shop.test": "127.0.0.1:8081"}
    assert settings.briefing.deadline_s == 2.0


def test_environment_overrides_the_file(tmp_path):
    path = write(tmp_path, "[server]\nport = 9000\n")
    env = {
        "ZMOT_SERVER_PORT": "9100",
        "ZMOT_SERVER_TOKENS": "a, b",
        "ZMOT_FETCH_RESPECT_ROBOTS": "false",
        "ZMOT_FETCH_RESOLVE": "a.test=127.0.0.1:1,b.test:8080=127.0.0.1:2",
    }
    settings = load_settings(path, env=env)
    assert settings.server.port == 9100
    assert settings.server.tokens == ["a", "b"]
    assert settings.fetch.respect_robots is False
    assert settings.fetch.resolve == {"a.test": "127.0.0.1:1", "b.test:8080": "127.0.0.1:2"}


def test_config_file_from_zmot_config_variable(tmp_path):
    path = write(tmp_path, "[server]\nport = 9200\n")
    assert load_settings(env={"ZMOT_CONFIG": str(path)}).server.port == 9200


@pytest.mark.parametrize(
    ("toml", "env", "message"),
    [
        ("[server]\nprot = 1\n", {}, "unknown key server.prot"),
        ("[srever]\nport = 1\n", {}, "unknown section [srever]"),
        ("[server]\nport = 'eighty'\n", {}, "server.port must be a whole number"),
        ("[fetch]\nrespect_robots = 'yes'\n", {}, "fetch.respect_robots must be true or false"),
        ("[server]\ntokens = 'secret'\n", {}, "server.tokens must be a list of strings"),
        ("", {"ZMOT_SERVER_PORT": "http"}, "server.port must be a whole number"),
        ("", {"ZMOT_FETCH_TYPO": "1"}, "unknown environment variable ZMOT_FETCH_TYPO"),
        ("[fetch]\nresolve = {'a.test' = 'localhost'}\n", {}, "must be 'ip:port'"),
        ("[server]\nport = 70000\n", {}, "between 1 and 65535"),
        ("[store]\nbackend = 'mongo'\n", {}, "store.backend must be 'sqlite' or 'redis'"),
        ("[server\n", {}, "not valid TOML"),
        ("[server]\ntokens = ['two words']\n", {}, "server.tokens: each must be printable ASCII"),
        ("", {"ZMOT_SERVER_TOKENS": "caf\u00e9"}, "server.tokens: each must be printable ASCII"),
        ("[server]\nmax_connections = 0\n", {}, "server.max_connections must be at least 1"),
        ("[server]\nhead_timeout_s = 0\n", {}, "server.head_timeout_s must be above 0"),
        ("", {"ZMOT_SERVER_PAIRING": "maybe"}, "server.pairing must be true or false"),
    ],
)
def test_bad_config_is_refused_with_a_message_naming_the_key(tmp_path, toml, env, message):
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace(".", r"\.")):
        load_settings(write(tmp_path, toml), env=env)


def test_missing_config_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", env={})


def test_server_keys_for_hosts_pairing_and_limits_are_read(tmp_path):
    path = write(
        tmp_path,
        '[server]\nhosts = ["zmot.lan"]\npairing = false\nmax_connections = 50\nhead_timeout_s = 5\n',
    )
    server = load_settings(path, env={"ZMOT_SERVER_BODY_TIMEOUT_S": "12.5"}).server
    assert (server.hosts, server.pairing, server.max_connections) == (["zmot.lan"], False, 50)
    assert (server.head_timeout_s, server.body_timeout_s) == (5.0, 12.5)
    defaults = load_settings(env={}).server
    assert defaults.pairing is True and defaults.hosts == [] and defaults.max_connections == 1000


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "zmot.example"])
def test_binding_beyond_loopback_with_pairing_off_and_no_token_is_refused(host):
    settings = load_settings(env={"ZMOT_SERVER_HOST": host, "ZMOT_SERVER_PAIRING": "false"})
    with pytest.raises(ConfigError, match="set server.tokens"):
        settings.check_serving()


@pytest.mark.parametrize("host", ["0.0.0.0", "zmot.example"])
def test_beyond_loopback_the_pairing_code_is_the_token(host):
    load_settings(env={"ZMOT_SERVER_HOST": host}).check_serving()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_loopback_needs_no_token(host):
    load_settings(env={"ZMOT_SERVER_HOST": host, "ZMOT_SERVER_PAIRING": "false"}).check_serving()


def test_beyond_loopback_with_a_token_may_serve():
    env = {"ZMOT_SERVER_HOST": "0.0.0.0", "ZMOT_SERVER_TOKENS": "s3cret", "ZMOT_SERVER_PAIRING": "false"}
    load_settings(env=env).check_serving()


def store_in(tmp_path):
    return load_settings(env={"ZMOT_STORE_PATH": str(tmp_path / "data" / "zmot.sqlite3")})


def test_the_pairing_code_is_made_once_beside_the_store_for_its_owner_only(tmp_path):
    settings = store_in(tmp_path)
    code = pairing_code(settings)
    path = tmp_path / "data" / "pairing-token"
    assert path.read_text().strip() == code and len(code) >= 20
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert pairing_code(settings) == code  # kept: the extension stays paired across restarts
    assert [p.name for p in path.parent.iterdir()] == ["pairing-token"]  # no draft left behind


def test_serving_uses_the_pairing_code_unless_tokens_are_set_or_pairing_is_off(tmp_path):
    settings = store_in(tmp_path)
    paired, code = serving_settings(settings)
    assert code is not None and paired.server.tokens == [code]
    assert settings.server.tokens == []  # the settings read are left as they were
    configured = load_settings(env={"ZMOT_SERVER_TOKENS": "mine", "ZMOT_STORE_PATH": str(tmp_path / "x.db")})
    assert serving_settings(configured) == (configured, None)
    off = load_settings(env={"ZMOT_SERVER_PAIRING": "false", "ZMOT_STORE_PATH": str(tmp_path / "y.db")})
    assert serving_settings(off) == (off, None)


def test_a_pairing_file_that_holds_no_code_is_named(tmp_path):
    settings = store_in(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "pairing-token").write_text("\n")
    with pytest.raises(ConfigError, match="pairing-token does not hold a pairing code; delete it"):
        pairing_code(settings)
