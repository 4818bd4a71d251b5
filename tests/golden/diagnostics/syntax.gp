policy demo "示例" { version "1" }
tier grid "网格"｛ level 1 }
