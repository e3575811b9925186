"""Settings: TOML, environment overrides, and refusals a self-hoster can act on."""

import pytest

from server.errors import ConfigError
from server.settings import load_settings


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
    ],
)
def test_bad_config_is_refused_with_a_message_naming_the_key(tmp_path, toml, env, message):
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace(".", r"\.")):
        load_settings(write(tmp_path, toml), env=env)


def test_missing_config_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", env={})


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "zmot.example"])
def test_binding_beyond_loopback_without_token_is_refused(host):
    settings = load_settings(env={"ZMOT_SERVER_HOST": host})
    with pytest.raises(ConfigError, match="set server.tokens"):
        settings.check_serving()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_loopback_needs_no_token(host):
    load_settings(env={"ZMOT_SERVER_HOST": host}).check_serving()


def test_beyond_loopback_with_a_token_may_serve():
    load_settings(env={"ZMOT_SERVER_HOST": "0.0.0.0", "ZMOT_SERVER_TOKENS": "s3cret"}).check_serving()
