/// The schema's fields per layer, and the names bureau files give them: English variants,
/// Chinese, and the pinyin initials Chinese GIS tables often use (YDXZ 用地性质, JZMJ 建筑面积).
/// Vocabulary, not policy: what `inspect` matches a file's columns against.
enum FieldSuggestions {
    /// Schema fields of each layer, required first.
    static let schema: [String: [String]] = [
        "zones": ["id", "name", "kind", "code"],
        "parcels": ["id", "land_use", "land_area_m2", "far_cap", "height_cap_m", "tenure_start", "tenure_end", "supply_mode"],
        "buildings": ["id", "floors", "use", "gfa_m2", "height_m", "year_built", "condition", "vacant_m2"],
        "carriers": ["id", "name", "type", "floor_area_m2", "occupied_m2", "building_ids", "level", "operator", "unit_m2", "rent_yuan_m2_month"],
        "enterprises": ["id", "name", "sector", "employees", "floor_area_m2", "lon", "lat", "building_id", "flags"],
        "roads": [],
    ]

    /// Other names of a schema field, compared case-blind and ignoring "_", "-" and spaces.
    static let synonyms: [String: [String]] = [
        "id": ["id", "code", "bh", "bm", "编号", "编码", "dkbh", "地块编号", "jzbh", "建筑编号", "zdbh", "宗地编号", "qybh", "企业编号", "uid"],
        "name": ["name", "mc", "名称", "qymc", "企业名称", "zaitimc", "载体名称", "jdmc", "街道名称"],
        "kind": ["kind", "type", "类型", "lx"],
        "code": ["code", "adcode", "xzqdm", "行政区代码", "jddm", "街道代码", "nbscode"],
        "land_use": ["landuse", "ydxz", "用地性质", "yddm", "用地代码", "dlbm", "地类编码", "ydlx", "用地类型"],
        "land_area_m2": ["landarea", "landaream2", "ydmj", "用地面积", "zdmj", "宗地面积", "shapearea", "area"],
        "far_cap": ["far", "farcap", "rjl", "容积率", "rjlsx", "容积率上限"],
        "height_cap_m": ["heightcap", "heightcapm", "xg", "限高", "jzxg", "建筑限高"],
        "tenure_start": ["tenurestart", "qsnf", "起始年份", "crqs", "出让起始"],
        "tenure_end": ["tenureend", "zznf", "终止年份", "crzz", "出让终止"],
        "supply_mode": ["supplymode", "gdfs", "供地方式", "crfs", "出让方式"],
        "floors": ["floors", "floor", "storeys", "stories", "cs", "层数", "jzcs", "建筑层数", "dscs", "地上层数"],
        "use": ["use", "yt", "用途", "jzyt", "建筑用途", "syyt"],
        "gfa_m2": ["gfa", "gfam2", "jzmj", "建筑面积", "zjzmj", "总建筑面积"],
        "height_m": ["height", "heightm", "gd", "高度", "jzgd", "建筑高度"],
        "year_built": ["yearbuilt", "year", "jcnd", "建成年代", "建成年份", "jgnf", "竣工年份"],
        "condition": ["condition", "zk", "状况", "jzzk", "建筑状况"],
        "vacant_m2": ["vacant", "vacantm2", "kzmj", "空置面积"],
        "type": ["type", "lx", "类型", "zaitilx", "载体类型"],
        "floor_area_m2": ["floorarea", "flooraream2", "mj", "面积", "symj", "使用面积", "zymj", "租用面积"],
        "occupied_m2": ["occupied", "occupiedm2", "yzmj", "已租面积", "rzmj", "入驻面积"],
        "building_ids": ["buildingids", "buildings", "lyid", "楼宇编号"],
        "level": ["level", "jb", "级别", "dj", "等级"],
        "operator": ["operator", "yydw", "运营单位", "yyf", "运营方"],
        "unit_m2": ["unit", "unitm2", "dymj", "单元面积"],
        "rent_yuan_m2_month": ["rent", "zj", "租金"],
        "sector": ["sector", "industry", "hy", "行业", "hylb", "行业类别", "cylb", "产业类别"],
        "employees": ["employees", "staff", "ygs", "员工数", "cyrs", "从业人数", "rs", "人数"],
        "lon": ["lon", "lng", "long", "longitude", "x", "jd", "经度"],
        "lat": ["lat", "latitude", "y", "wd", "纬度"],
        "building_id": ["buildingid", "jzid", "lyid", "所在楼宇"],
        "flags": ["flags", "tags", "bq", "标签", "rd", "认定"],
    ]

    static func normalised(_ name: String) -> String {
        String(name.lowercased().filter { $0 != "_" && $0 != "-" && $0 != " " })
    }

    /// The file's column for each schema field of `layer` found by name, then by content:
    /// land-use codes, vocabulary words, coordinates in range.
    static func mapping(for layer: String, columns: [String], samples: [String: [String]]) -> [String: String] {
        var mapping: [String: String] = [:]
        var taken = Set<String>()
        for field in schema[layer] ?? [] {
            // A .dbf cuts names to 10 characters: "tenure_start" arrives as "tenure_sta".
            let names = Set((synonyms[field] ?? [field]).map(normalised) + [normalised(field), normalised(String(field.prefix(10)))])
            if let column = columns.first(where: { !taken.contains($0) && names.contains(normalised($0)) }) {
                mapping[field] = column
                taken.insert(column)
            }
        }
        // By content, for the fields that carry a vocabulary a name cannot hide.
        let byContent: [(field: String, layers: Set<String>, fits: (String) -> Bool)] = [
            ("land_use", ["parcels"], { Vocabulary.landUseClass($0) != nil }),
            ("use", ["buildings"], { Vocabulary.buildingUses.contains($0) }),
            ("sector", ["enterprises"], { Vocabulary.sectors.contains($0) }),
            ("lon", ["enterprises"], { Double($0).map { (73...136).contains($0) } ?? false }),
            ("lat", ["enterprises"], { Double($0).map { (3...54).contains($0) } ?? false }),
        ]
        for rule in byContent where rule.layers.contains(layer) && mapping[rule.field] == nil {
            let fitting = columns.first { column in
                guard !taken.contains(column), let values = samples[column]?.filter({ !$0.isEmpty }), !values.isEmpty else { return false }
                return values.allSatisfy(rule.fits)
            }
            if let fitting { mapping[rule.field] = fitting; taken.insert(fitting) }
        }
        return mapping
    }

    /// How well a file fits a layer: the share of the layer's fields it maps (roads: lines only).
    static func score(_ layer: String, mapping: [String: String]) -> Double {
        guard let fields = schema[layer], !fields.isEmpty else { return 0 }
        return Double(mapping.count) / Double(fields.count)
    }
}
