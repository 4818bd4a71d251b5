"""`gridpolicy lsp`: a language server for rule files (stdio, pygls). `symbols` indexes the
declarations and references of a folder; `server` answers the editor."""
