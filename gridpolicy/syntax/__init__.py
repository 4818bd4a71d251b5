"""The syntax stage: rule text -> syntax tree (Lark grammar, keywords, nodes, limits)."""
