"""Reading settings: a TOML document's tables and `ZMOT_<SECTION>_<KEY>` variables turned into the typed
sections, every value converted to its key's type or refused with a message that names the key."""

from __future__ import annotations

import dataclasses
import tomllib
import types
import typing
from collections.abc import Mapping
from pathlib import Path

from server.errors import ConfigError
from server.settings_checks import checked

__all__ = ["build_sections", "read_toml"]


def build_sections(
    whole: type,
    data: Mapping[str, object],
    env: Mapping[str, str],
    overrides: Mapping[str, Mapping[str, object]],
) -> dict[str, object]:
    """Each section of the dataclass `whole`, from the file's `data`, then `env`, then `overrides`."""
    sections = {f.name: f.type for f in dataclasses.fields(whole)}
    for name in data:
        if name not in sections:
            raise ConfigError(f"unknown section [{name}]; known: {', '.join(sections)}")
        if not isinstance(data[name], dict):
            raise ConfigError(f"[{name}] must be a table")
    built = {}
    for f in dataclasses.fields(whole):
        cls = typing.get_type_hints(whole)[f.name]
        values = dict(data.get(f.name, {}))
        values.update(_env_values(f.name, cls, env))
        values.update(overrides.get(f.name, {}))
        built[f.name] = _build_section(f.name, cls, values)
    return built


def read_toml(path: Path) -> dict:
    """The config file's tables; a missing or broken file is a ConfigError."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None


def _env_values(section: str, cls: type, env: Mapping[str, str]) -> dict[str, object]:
    prefix = f"ZMOT_{section.upper()}_"
    keys = {f.name.upper(): f.name for f in dataclasses.fields(cls)}
    values: dict[str, object] = {}
    for name, raw in env.items():
        if not name.startswith(prefix):
            continue
        key = keys.get(name[len(prefix) :])
        if key is None:
            raise ConfigError(
                f"unknown environment variable {name}; [{section}] has: {', '.join(keys.values())}"
            )
        values[key] = _EnvText(raw)
    return values


class _EnvText(str):
    """A value from the environment: text to be converted to the key's type."""


def _build_section(section: str, cls: type, values: dict[str, object]):
    hints = typing.get_type_hints(cls)
    known = [f.name for f in dataclasses.fields(cls)]  # in the order the section declares them
    kwargs = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"unknown key {section}.{key}; [{section}] has: {', '.join(known)}")
        kwargs[key] = _convert(f"{section}.{key}", hints[key], value)
    return checked(section, cls(**kwargs))


def _convert(name: str, hint: object, value: object) -> object:
    origin = typing.get_origin(hint) or hint
    from_env = isinstance(value, _EnvText)
    try:
        if origin is bool:
            if from_env:
                return _env_bool(value)
            if isinstance(value, bool):
                return value
        elif origin is int:
            if from_env:
                return int(value)
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        elif origin is float:
            if from_env:
                return float(value)
            if isinstance(value, int | float) and not isinstance(value, bool):
                return float(value)
        elif origin is str:
            if isinstance(value, str):
                return str(value)
        elif origin is list:
            if from_env:
                return [part.strip() for part in value.split(",") if part.strip()]
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                return list(value)
        elif origin is dict and dataclasses.is_dataclass(typing.get_args(hint)[-1]):
            if from_env:
                raise ConfigError(f"{name} is a table of tables: set it in the config file")
            if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
                raise ConfigError(f'{name} holds tables, like [{name}."<key>"]; not {value!r}')
            cls = typing.get_args(hint)[-1]
            return {k: _build_section(f"{name}.{k}", cls, dict(v)) for k, v in value.items()}
        elif origin is dict:
            if from_env:
                return _env_mapping(value)
            if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
                return dict(value)
    except ValueError:
        pass
    raise ConfigError(f"{name} must be {_type_name(hint)}, not {value!r}")


def _env_bool(value: str) -> bool:
    text = value.strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise ValueError(value)


def _env_mapping(value: str) -> dict[str, str]:
    """`a=1.2.3.4:80,b=5.6.7.8:81` -> {"a": "1.2.3.4:80", "b": "5.6.7.8:81"}."""
    result = {}
    for item in value.split(","):
        if not item.strip():
            continue
        key, sep, target = item.partition("=")
        if not sep:
            raise ValueError(value)
        result[key.strip()] = target.strip()
    return result


def _type_name(hint: object) -> str:
    origin = typing.get_origin(hint) or hint
    names = {
        bool: "true or false",
        int: "a whole number",
        float: "a number",
        str: "a string",
        list: "a list of strings",
        dict: "a table of strings",
    }
    if isinstance(origin, type) and origin in names:
        return names[origin]
    if isinstance(hint, types.UnionType):
        return " or ".join(_type_name(a) for a in typing.get_args(hint))
    return str(hint)
