"""The `zmot` command as a user types it."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from server.cli import main
from server.openapi import openapi_document
from tests.pagegen import product_page
from tests.scrapers.golden import golden_cases
from tests.tools import free_port, require_program, serving, toml_table

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def saved_page(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(product_page())
    return path


@pytest.fixture
def config(tmp_path, monkeypatch):
    monkeypatch.delenv("ZMOT_CONFIG", raising=False)
    path = tmp_path / "zmot.toml"
    path.write_text(f'[store]\npath = "{tmp_path / "store.sqlite3"}"\n')
    return path


def test_brief_prints_a_readable_briefing_with_progress(saved_page, config, capsys):
    code = main(
        ["brief", "https://shop.example/p/kettle", "--html", str(saved_page), "--config", str(config)]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert "Brava Steel Kettle 1.7 L — Brava" in out
    assert "39.90 EUR (in stock, Kitchen Corner)" in out
    assert "4.1/5 from 212 ratings" in out
    assert "sentiment:" in out and "positive" in out
    assert "Briefing complete" in out
    assert "reviews" in err  # progress went to stderr, the briefing to stdout


def test_brief_json_follows_the_briefing_schema(saved_page, config, capsys):
    assert (
        main(
            [
                "brief",
                "https://shop.example/p/kettle",
                "--html",
                str(saved_page),
                "--config",
                str(config),
                "--json",
            ]
        )
        == 0
    )
    briefing = json.loads(capsys.readouterr().out)
    assert set(briefing) >= {
        "id",
        "url",
        "status",
        "generated_at",
        "elapsed_ms",
        "product",
        "price",
        "reviews",
        "mentions",
        "verdict",
        "sources",
    }
    assert briefing["product"]["gtin"] == "8001234567895"
    # ...and the schema the OpenAPI document gives it, every field's type included (pros and cons too).
    assert briefing["reviews"]["pros"] or briefing["reviews"]["cons"]
    schema = {"$ref": "#/components/schemas/Briefing", "components": openapi_document()["components"]}
    errors = Draft202012Validator(schema).iter_errors(briefing)
    problems = [f"{list(e.absolute_path)}: {e.message}" for e in errors]
    assert problems == []


def test_brief_refuses_a_private_address(saved_page, config, capsys):
    assert main(["brief", "http://10.0.0.8/p", "--html", str(saved_page), "--config", str(config)]) == 3
    assert "10.0.0.8" in capsys.readouterr().err


def test_brief_names_a_missing_file(config, capsys):
    assert (
        main(["brief", "https://shop.example/p", "--html", "/nonexistent.html", "--config", str(config)]) == 2
    )
    assert "cannot read /nonexistent.html" in capsys.readouterr().err


def test_scrape_json_is_the_product_page(saved_page, capsys):
    assert main(["scrape", "https://shop.example/p/kettle", "--html", str(saved_page), "--json"]) == 0
    page = json.loads(capsys.readouterr().out)
    assert page["plugin"] == "generic"
    assert page["product"]["name"] == "Brava Steel Kettle 1.7 L"
    assert page["offers"][0]["price"] == "39.90"
    assert len(page["reviews"]) == 10


def test_sentiment_reads_lines_and_writes_json_lines(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("I love this kettle!\n\nIt broke, terrible.\n"))
    assert main(["sentiment", "--lang", "en"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["label"] for r in rows] == ["positive", "negative"]
    assert rows[0]["text"] == "I love this kettle!" and rows[0]["lang"] == "en"
    assert -1 <= rows[1]["compound"] < -0.05


def test_plugins_lists_the_generic_scraper(capsys, monkeypatch):
    monkeypatch.delenv("ZMOT_CONFIG", raising=False)
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert "generic" in out and "every URL" in out


def test_bad_config_exits_2_with_the_reason(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[server]\nport = 'x'\n")
    assert main(["serve", "--config", str(bad)]) == 2
    assert "server.port must be a whole number" in capsys.readouterr().err


def test_serve_refuses_an_open_bind_without_token_or_pairing(config, capsys, monkeypatch):
    monkeypatch.setenv("ZMOT_SERVER_PAIRING", "false")
    assert main(["serve", "--config", str(config), "--host", "0.0.0.0"]) == 2
    assert "set server.tokens" in capsys.readouterr().err


def test_token_prints_the_pairing_code_and_keeps_it(config, tmp_path, capsys):
    assert main(["token", "--config", str(config)]) == 0
    out, err = capsys.readouterr()
    code = out.strip()
    assert code == (tmp_path / "pairing-token").read_text().strip()
    assert "extension's options" in err and str(tmp_path / "pairing-token") in err
    assert main(["token", "--config", str(config)]) == 0
    assert capsys.readouterr().out.strip() == code


@pytest.mark.parametrize(
    ("server", "message"),
    [('tokens = ["mine"]', "server.tokens is set"), ("pairing = false", "server.pairing is false")],
)
def test_token_says_why_there_is_no_pairing_code(tmp_path, capsys, monkeypatch, server, message):
    monkeypatch.delenv("ZMOT_CONFIG", raising=False)
    path = tmp_path / "zmot.toml"
    path.write_text(f'[server]\n{server}\n[store]\npath = "{tmp_path / "store.sqlite3"}"\n')
    assert main(["token", "--config", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and message in err
    assert not (tmp_path / "pairing-token").exists()


@pytest.mark.slow
def test_serve_pairs_with_the_code_it_prints(tmp_path):
    config = f'[store]\npath = "{tmp_path / "store.sqlite3"}"\n'
    zmot = Path(require_program("zmot"))
    python = zmot.with_name("python") if zmot.with_name("python").exists() else Path(sys.executable)
    with serving([str(zmot)], config, tmp_path, pairing=True) as base:
        code = (tmp_path / "pairing-token").read_text().strip()
        log = (tmp_path / "serve.log").read_text()
        assert f"Pair the extension: open its options and enter the code {code}" in log
        # what the installed package is, asked outside the source tree, is what the server says
        asked = [str(python), "-c", "import server.analysis.vader as v; print(v.__file__)"]
        found = subprocess.run(asked, cwd=tmp_path, capture_output=True, text=True, check=True, timeout=60)
        compiled = not found.stdout.strip().endswith(".py")
        assert ("review analysis: compiled" in log) is compiled, log
        assert ("review analysis: Python" in log) is not compiled, log
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{base}/v1/watch", timeout=10)
        assert refused.value.code == 401
        paired = urllib.request.Request(f"{base}/v1/watch", headers={"Authorization": f"Bearer {code}"})
        with urllib.request.urlopen(paired, timeout=10) as response:
            assert json.load(response) == {"watches": []}


@pytest.mark.parametrize("case", golden_cases(), ids=lambda case: case.id)
def test_scrape_json_of_every_saved_page_is_its_golden_json(case, capsys):
    url = case.expected()["url"]
    assert main(["scrape", url, "--html", str(case.html_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == case.expected()


def test_brief_with_search_shows_mentions_the_cheaper_shop_and_then_the_history(local_web, tmp_path, capsys):
    page = (
        Path(__file__).parents[1] / "fixtures/localweb/shop-us.test/products/noise-cancelling-headphones.html"
    )
    config = tmp_path / "search.toml"
    config.write_text(
        f'[store]\npath = "{tmp_path / "store.sqlite3"}"\n'
        f"[fetch]\nresolve = {toml_table(local_web.resolve_map())}\ntotal_timeout_s = 1.5\n"
        '[briefing]\nttl_s = 0\ndeadline_s = 2.0\n[search]\nprovider = "searxng"\nurl = "http://search.test/search"\n'
    )
    args = [
        "brief",
        "http://shop-us.test/products/noise-cancelling-headphones",
        "--html",
        str(page),
        "--config",
        str(config),
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "lowest offer: 229.00 USD (in stock, SoundHaus), save 15.00 USD at http://shop-b.test/" in out
    assert "forum  HeadCase Forums: negative" in out
    assert "DealsDaily: positive · sponsored" in out
    assert "history:" not in out
    assert main(args) == 0  # a second look, later: the price history now has more to say
    assert "history: " in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.parametrize(
    ("config", "line"),
    [
        (
            "",
            "search: ddgs (keyless metasearch; set search.provider to change, "
            "or [privacy] beyond = false to keep briefings to the page)",
        ),
        ("[privacy]\nbeyond = false\n", "search: none ([privacy] beyond = false keeps briefings to the page"),
        (
            '[search]\nprovider = "searxng"\nurl = "http://10.0.0.2:8888"\n',
            "search: searxng at http://10.0.0.2:8888/search",
        ),
    ],
)
def test_serve_says_what_briefings_search_with(tmp_path, monkeypatch, config, line):
    # Test runs may turn the keyless default off through the environment; a fresh install has it.
    monkeypatch.delenv("ZMOT_SEARCH_DEFAULT", raising=False)
    store = f'[store]\npath = "{tmp_path / "store.sqlite3"}"\n'
    with serving([sys.executable, "-m", "server"], store + config, tmp_path, cwd=ROOT):
        assert line in (tmp_path / "serve.log").read_text()


def brief_in_a_process(tmp_path, url: str, *options: str, resolve: dict[str, str] | None = None):
    """`zmot brief URL …` as a shopper runs it (its own process, its own logging), search off."""
    tmp_path.mkdir(exist_ok=True)
    config = tmp_path / "brief.toml"
    config.write_text(
        f'[store]\npath = "{tmp_path / "store.sqlite3"}"\n'
        f"[fetch]\nresolve = {toml_table(resolve or {})}\n"
        '[search]\nprovider = "none"\n'
    )
    command = [sys.executable, "-m", "server", "brief", url, "--config", str(config), *options]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=ROOT)


@pytest.mark.slow
def test_brief_with_no_network_says_what_failed_in_one_line_without_tracebacks(tmp_path):
    page = Path(__file__).parents[1] / "fixtures/pages/amazon/it-macchina-caffe.html"
    # The shop is unreachable: its name leads to a loopback port nobody listens on.
    offline = {"www.amazon.it": f"127.0.0.1:{free_port()}"}
    url = "https://www.amazon.it/dp/B0ITALIA01"
    done = brief_in_a_process(tmp_path, url, "--html", str(page), resolve=offline)
    assert done.returncode == 0
    assert "Traceback" not in done.stdout + done.stderr
    (failed,) = [line for line in done.stdout.splitlines() if "more reviews" in line]
    assert failed.split()[:3] == ["error", "more", "reviews"] and "robots.txt could not be read" in failed
    assert "robots.txt could not be read" not in done.stderr  # said once, in the sources list

    verbose = brief_in_a_process(tmp_path / "v", url, "--html", str(page), "--verbose", resolve=offline)
    assert "Traceback" in verbose.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    ("url", "says", "code"),
    [
        (
            "http://shop.localhost/p/kettle",
            "zmot: refused http://shop.localhost/p/kettle: shop.localhost is this machine",
            3,
        ),
        ("http://search-fails.test/p/kettle", "error    page", 0),
    ],
)
def test_brief_of_a_page_that_cannot_be_had_prints_one_line(local_web, tmp_path, url, says, code):
    done = brief_in_a_process(tmp_path, url, resolve=local_web.resolve_map())
    assert done.returncode == code
    assert says in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
