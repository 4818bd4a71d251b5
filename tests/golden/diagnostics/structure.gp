tier grid "网格" { level 1 }
tier grid "网格" { level 2 }
route r "条件" { when true; tier grid }
