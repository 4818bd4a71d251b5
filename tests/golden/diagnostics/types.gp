policy demo "示例" { version "1" }
tier grid "网格" { level 1 }
tier street "街道" { level 2 }
field people "人数" { type number; range 0 .. 100 }
field urgent "紧急" { type bool }
route a "甲" { when people + urgent; tier grid }
route b "乙" { when people > "多"; tier street; limit 1.5 days }
