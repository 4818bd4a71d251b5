"""The engine: checked model -> compiled program (closures, routing index, generated code)."""
