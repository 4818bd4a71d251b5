规则集 demo "示例" { 版本 "1" }
层级 grid "网格" { 级别 1 }
层级 street "街道" { 级别 2 }
字段 urgent "紧急" { 类型 bool; 默认 否 }
分流 urgent "紧急" { 条件 urgent == 是 且 not (urgent == 否); 层级 street; 时限 2 hours }
route rest "其余" { tier grid; limit 3 workdays }
