policy demo "示例" {version "1"   effective 2024-01-01}
tier grid "网格"{level 1}
tier street "街道" { level 2 }
field urgency "紧急程度" { type enum; values normal "一般",urgent "紧急"; default normal }
field people "人数" { type number range 0..1000 }
route urgent "紧急" { when urgency==urgent and(people>10 or people<2) tier street; limit 1 hours }
route rest "其余" {
    tier grid
    limit 3 workday
}
