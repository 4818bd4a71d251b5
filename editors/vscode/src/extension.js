// GridPolicy for VS Code: the highlighting grammar, and a language client that starts
// `gridpolicy lsp` (stdio) for diagnostics, hover, completion, definitions, rename and formatting.
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function serverOptions() {
  const config = vscode.workspace.getConfiguration("gridpolicy");
  const command = config.get("server.command", "gridpolicy");
  const args = config.get("server.args", ["lsp"]);
  return { command, args, transport: TransportKind.stdio };
}

async function start(context) {
  client = new LanguageClient("gridpolicy", "GridPolicy 语言服务器 language server", serverOptions(), {
    documentSelector: [{ scheme: "file", language: "gridpolicy" }, { scheme: "untitled", language: "gridpolicy" }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.gp,registry/*.yaml,tests/*.yaml}") },
  });
  try {
    await client.start();
  } catch (err) {
    const command = serverOptions().command;
    vscode.window.showErrorMessage(
      `无法启动 gridpolicy 语言服务器（${command} lsp）：请安装 pip install 'gridpolicy[lsp]'，或在设置 gridpolicy.server.command 中写明路径。` +
      ` Cannot start the gridpolicy language server (${command} lsp): ${err && err.message ? err.message : err}`);
  }
  context.subscriptions.push(client);
}

async function activate(context) {
  context.subscriptions.push(vscode.commands.registerCommand("gridpolicy.restartServer", async () => {
    if (client) await client.stop();
    await start(context);
  }));
  await start(context);
}

async function deactivate() {
  if (client) await client.stop();
}

module.exports = { activate, deactivate };
