policy demo "示例" { version "1" }
tier grid "网格" { level 1 }
tier street "街道" { level 2 }
field urgency "紧急程度" { type enum; values normal "一般", urgent "紧急" }
route urgent "紧急" { when urgncy == urgent; tier stret; colour red }
route rest "其余" { tier grid }
