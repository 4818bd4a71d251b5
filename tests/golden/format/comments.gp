# 规则集：示例
policy demo "示例" { version "1" }

# 层级
tier grid "网格" { level 1 }   # 最低一级
tier street "街道" { level 2 }


field people "人数" { type number; range 0 .. 1000 }  # 涉及人数
route big "人多" {
  # 人多的交街道
  when people - (people - 100) > 50 and not (people == 3)
  tier street
  note "说明：含 \"引号\" 与\n换行"
}
route rest "其余" { tier grid }
