"""The VS Code extension packages with the standard npm tooling (vsce) into a .vsix holding the
grammar, the language configuration and a language client that starts `gridpolicy lsp`."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXT = REPO / "editors" / "vscode"


def test_manifest_wires_the_language_server() -> None:
    manifest = json.loads((EXT / "package.json").read_text(encoding="utf-8"))
    props = manifest["contributes"]["configuration"]["properties"]
    assert props["gridpolicy.server.command"]["default"] == "gridpolicy"
    assert props["gridpolicy.server.args"]["default"] == ["lsp"]
    assert manifest["main"] == "./dist/extension.js"
    assert "vscode-languageclient" in manifest["dependencies"]
    assert "@vscode/vsce" in manifest["devDependencies"]
    source = (EXT / "src" / "extension.js").read_text(encoding="utf-8")
    assert 'require("vscode-languageclient/node")' in source and "TransportKind.stdio" in source
    lock = json.loads((EXT / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"][""]["dependencies"] == manifest["dependencies"]


@pytest.fixture(scope="module")
def vsix(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("npm") is None:
        pytest.skip("npm 未安装 — npm is not installed")
    folder = tmp_path_factory.mktemp("vsix") / "vscode"
    shutil.copytree(EXT, folder, ignore=shutil.ignore_patterns("node_modules", "dist", "*.vsix"))
    done = subprocess.run(["bash", str(REPO / "scripts" / "build-vsix.sh"), str(folder)], capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return folder / "gridpolicy.vsix"


def test_vsix_contains_the_grammar_and_the_client(vsix: Path) -> None:
    with zipfile.ZipFile(vsix) as z:
        names = set(z.namelist())
        assert {"extension/package.json", "extension/syntaxes/gridpolicy.tmLanguage.json",
                "extension/language-configuration.json", "extension/dist/extension.js",
                "extension.vsixmanifest"} <= names
        assert not any(n.startswith("extension/node_modules/") or n.startswith("extension/src/") for n in names)
        grammar = z.read("extension/syntaxes/gridpolicy.tmLanguage.json")
        assert grammar == (EXT / "syntaxes" / "gridpolicy.tmLanguage.json").read_bytes()
        client = z.read("extension/dist/extension.js").decode("utf-8")
        # The bundled vscode-languageclient speaks LSP over stdio to `gridpolicy lsp`.
        assert "textDocument/publishDiagnostics" in client and "gridpolicy.server.command" in client
        assert '"server.args",["lsp"]' in client  # started as `gridpolicy lsp` unless configured otherwise
        manifest = z.read("extension.vsixmanifest").decode("utf-8")
        assert 'Id="gridpolicy"' in manifest and "Microsoft.VisualStudio.Code" in manifest
