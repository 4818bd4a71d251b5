"""`gridpolicy lsp` in a real stdio JSON-RPC session: diagnostics as you type (the same codes as
`check`, for the whole folder), hover, completion, definition, references, rename,
formatting and code actions."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls", reason="the lsp extra (pygls) is installed by make test")

RULES = Path(__file__).resolve().parent.parent / "rules"


class Client:
    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "gridpolicy", "lsp"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.n = 0
        self.notes: list[dict[str, Any]] = []

    def send(self, msg: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **msg}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        length = 0
        while (line := self.proc.stdout.readline().strip()):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.proc.stdout.read(length))

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.n += 1
        self.send({"id": self.n, "method": method, "params": params})
        while True:
            msg = self.read()
            if msg.get("id") == self.n and "method" not in msg:
                assert "error" not in msg, msg
                return msg.get("result")
            if "method" in msg and "id" not in msg:
                self.notes.append(msg)

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def diagnostics(self, uri: str) -> list[dict[str, Any]]:
        """The next diagnostics published for `uri`."""
        while True:
            for i, note in enumerate(self.notes):
                if note["method"] == "textDocument/publishDiagnostics" and note["params"]["uri"] == uri:
                    del self.notes[: i + 1]
                    return note["params"]["diagnostics"]
            msg = self.read()
            if "method" in msg and "id" not in msg:
                self.notes.append(msg)

    def close(self) -> None:
        self.request("shutdown", {})
        self.notify("exit", {})
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("lsp") / "rules"
    shutil.copytree(RULES, folder, ignore=shutil.ignore_patterns("tests"))
    c = Client()
    c.request("initialize", {"processId": None, "rootUri": folder.as_uri(), "capabilities": {}})
    c.notify("initialized", {})
    yield c, folder
    c.close()


def _open(c: Client, path: Path, text: str | None = None) -> str:
    uri = path.resolve().as_uri()
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "gridpolicy", "version": 1,
                                                       "text": text if text is not None else path.read_text("utf-8")}})
    return uri


def _pos(path: Path, needle: str, offset: int = 0) -> dict[str, int]:
    for no, line in enumerate(path.read_text("utf-8").split("\n")):
        if needle in line:
            return {"line": no, "character": line.index(needle) + offset}
    raise AssertionError(needle)


def test_diagnostics_as_you_type(session: Any) -> None:
    c, folder = session
    routing = folder / "40_routing.gp"
    uri = _open(c, routing)
    assert c.diagnostics(uri) == []
    text = routing.read_text("utf-8").replace("limit 1 hour", "limit 5 weeks", 1)
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                        "contentChanges": [{"text": text}]})
    found = c.diagnostics(uri)
    assert [d["code"] for d in found] == ["GP041"]
    assert "时限单位应为" in found[0]["message"] and "not a unit of time" in found[0]["message"]
    line = text.split("\n")[found[0]["range"]["start"]["line"]]
    assert line[found[0]["range"]["start"]["character"]:].startswith("weeks")
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                        "contentChanges": [{"text": routing.read_text("utf-8")}]})
    assert c.diagnostics(uri) == []


def test_hover_definition_references(session: Any) -> None:
    c, folder = session
    routing = folder / "40_routing.gp"
    uri = _open(c, routing)
    c.diagnostics(uri)
    at = {"textDocument": {"uri": uri}, "position": _pos(routing, "department yingji", len("department "))}
    hover = c.request("textDocument/hover", at)["contents"]["value"]
    assert "区应急管理局" in hover and "假设 assumption" in hover
    [where] = c.request("textDocument/definition", at)
    assert where["uri"].endswith("10_organisation.gp")
    refs = c.request("textDocument/references", {**at, "context": {"includeDeclaration": True}})
    assert len({r["uri"] for r in refs}) >= 2
    edit = c.request("textDocument/rename", {**at, "newName": "emergency_bureau"})
    assert sum(len(v) for v in edit["changes"].values()) == len(refs)


def test_completion_offers_ids_for_labels(session: Any) -> None:
    c, folder = session
    uri = _open(c, folder / "40_routing.gp")
    c.diagnostics(uri)
    items = c.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}})
    by_label = {i["label"]: i for i in items["items"]}
    assert by_label["route"]["detail"] == "分流"
    assert by_label["社区"]["insertText"] == "community"
    assert "社区" in by_label["community"]["filterText"]


def test_code_action_and_formatting(session: Any) -> None:
    c, folder = session
    routing = folder / "40_routing.gp"
    text = routing.read_text("utf-8").replace("when urgency == emergency\n", "when urgency == 特急\n", 1)
    uri = _open(c, routing, text)
    [diag] = c.diagnostics(uri)
    actions = c.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": diag["range"],
                                                    "context": {"diagnostics": [diag]}})
    assert actions[0]["edit"]["changes"][uri][0]["newText"] == "emergency"
    messy = "tier   grid {level 1}\n"
    fmt_uri = _open(c, folder / "99_scratch.gp", messy)
    c.diagnostics(fmt_uri)
    [edit] = c.request("textDocument/formatting", {"textDocument": {"uri": fmt_uri},
                                                   "options": {"tabSize": 2, "insertSpaces": True}})
    assert edit["newText"] == "tier grid { level 1 }\n"


def test_hover_on_a_matter_shows_its_status_today(session: Any) -> None:
    c, folder = session
    admission = folder / "30_admission.gp"
    uri = _open(c, admission)
    c.diagnostics(uri)
    at = {"textDocument": {"uri": uri}, "position": _pos(admission, 'matter G01 "', len("matter "))}
    hover = c.request("textDocument/hover", at)["contents"]["value"]
    assert "基层党建" in hover and "今天 today" in hover and "出处 source" in hover
