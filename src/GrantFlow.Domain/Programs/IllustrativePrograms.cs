using System.Globalization;

namespace GrantFlow.Domain.Programs;

/// <summary>
/// About a hundred central transfer programs for exercising GrantFlow at the scale of a real year (benchmarks,
/// <c>grantflow demo --programs all</c>). ILLUSTRATIVE: the names follow the central budget's transfer programs, but
/// the envelopes, the formulas' factors and the classification codes are this project's choice, not published figures.
/// Ids start with "il-" so they are never taken for the three programs of the 2026 seeds.
/// </summary>
public static class IllustrativePrograms
{
    /// <summary>What a program's money is for: its factors, and the classification codes the province books it under.</summary>
    private enum Area { General, Education, Social, Health, Environment, Agriculture, Housing, Transport, Culture, Industry, Safety }

    // (id suffix, Chinese name, English name, general or special, envelope in 100 million yuan, area)
    private static readonly (string Id, string NameZh, string NameEn, string Kind, long Yi, Area Area)[] Table =
    [
        ("equalization", "均衡性转移支付", "Equalization transfer", General, 27_000, Area.General),
        ("county-basic-finance", "县级基本财力保障机制奖补资金", "County basic fiscal capacity guarantee awards", General, 4_600, Area.General),
        ("key-ecological-areas", "重点生态功能区转移支付", "Transfer to key ecological function areas", General, 1_100, Area.Environment),
        ("resource-exhausted-cities", "资源枯竭城市转移支付", "Transfer to resource-exhausted cities", General, 230, Area.General),
        ("old-revolutionary-areas", "革命老区转移支付", "Transfer to old revolutionary base areas", General, 240, Area.General),
        ("ethnic-minority-areas", "民族地区转移支付", "Transfer to ethnic minority areas", General, 1_100, Area.General),
        ("border-areas", "边境地区转移支付", "Transfer to border areas", General, 330, Area.General),
        ("less-developed-areas", "欠发达地区转移支付", "Transfer to less developed areas", General, 300, Area.General),
        ("compulsory-education", "城乡义务教育补助经费", "Urban and rural compulsory education grant", General, 1_800, Area.Education),
        ("student-aid", "学生资助补助经费", "Student financial aid grant", General, 700, Area.Education),
        ("preschool-education", "支持学前教育发展资金", "Preschool education development fund", General, 250, Area.Education),
        ("vocational-education", "现代职业教育质量提升计划资金", "Modern vocational education quality fund", General, 320, Area.Education),
        ("local-universities", "支持地方高校改革发展资金", "Local universities reform and development fund", General, 400, Area.Education),
        ("weak-schools", "义务教育薄弱环节改善与能力提升补助资金", "Compulsory education weak-link improvement grant", General, 300, Area.Education),
        ("teacher-training", "中小学幼儿园教师国家级培训计划资金", "National teacher training programme fund", General, 25, Area.Education),
        ("school-meals", "农村义务教育学生营养改善计划补助资金", "Rural student nutrition improvement grant", General, 290, Area.Education),
        ("resident-pension", "城乡居民基本养老保险补助经费", "Urban and rural residents' basic pension grant", General, 4_100, Area.Social),
        ("basic-pension", "企业职工基本养老保险补助经费", "Enterprise employees' basic pension grant", General, 9_000, Area.Social),
        ("needy-assistance", "困难群众救助补助资金", "Assistance to people in difficulty", General, 1_600, Area.Social),
        ("employment", "就业补助资金", "Employment grant", General, 670, Area.Social),
        ("entitled-groups", "优抚对象补助经费", "Grant for entitled groups (veterans and families)", General, 600, Area.Social),
        ("veteran-resettlement", "退役安置补助经费", "Veteran resettlement grant", General, 900, Area.Social),
        ("disability", "残疾人事业发展补助资金", "Disability services development grant", General, 160, Area.Social),
        ("elderly-care", "养老服务体系建设补助资金", "Elderly care services grant", General, 150, Area.Social),
        ("child-welfare", "儿童福利服务补助资金", "Child welfare services grant", General, 40, Area.Social),
        ("public-health-services", "基本公共卫生服务补助资金", "Basic public health services grant", General, 780, Area.Health),
        ("essential-medicines", "基本药物制度补助资金", "Essential medicines system grant", General, 90, Area.Health),
        ("major-public-health", "重大传染病防控经费", "Major infectious disease control fund", General, 180, Area.Health),
        ("primary-care", "医疗服务与保障能力提升补助资金（卫生健康人才培养部分）", "Medical services capacity grant (health workforce)", General, 130, Area.Health),
        ("family-planning", "计划生育转移支付资金", "Family planning transfer", General, 100, Area.Health),
        ("chinese-medicine", "中医药事业传承与发展补助资金", "Traditional Chinese medicine development grant", General, 40, Area.Health),
        ("rural-reform", "农村综合改革转移支付", "Comprehensive rural reform transfer", General, 320, Area.Agriculture),
        ("farmland-fertility", "耕地地力保护补贴", "Farmland fertility protection subsidy", General, 1_200, Area.Agriculture),
        ("grain-counties", "产粮大县奖励资金", "Awards to major grain-producing counties", General, 530, Area.Agriculture),
        ("livestock-counties", "生猪（牛羊）调出大县奖励资金", "Awards to major livestock-supplying counties", General, 40, Area.Agriculture),
        ("oil-price-reform", "成品油价格和税费改革转移支付", "Refined oil price and tax reform transfer", General, 700, Area.Transport),
        ("vehicle-tax-roads", "车辆购置税收入补助地方资金", "Vehicle purchase tax subsidy to local roads", General, 3_200, Area.Transport),
        ("public-culture", "公共文化服务体系建设补助资金", "Public cultural services grant", General, 150, Area.Culture),
        ("justice-supervision", "政法纪检监察转移支付", "Justice and supervision transfer", General, 580, Area.Safety),
        ("rural-revitalization", "中央财政衔接推进乡村振兴补助资金", "Rural revitalization linkage fund", General, 1_770, Area.Agriculture),
        ("air-pollution", "大气污染防治资金", "Air pollution control fund", Special, 330, Area.Environment),
        ("water-pollution", "水污染防治资金", "Water pollution control fund", Special, 260, Area.Environment),
        ("soil-pollution", "土壤污染防治资金", "Soil pollution control fund", Special, 44, Area.Environment),
        ("rural-environment", "农村环境整治资金", "Rural environment improvement fund", Special, 40, Area.Environment),
        ("forest-grassland-ecology", "林业草原生态保护恢复资金", "Forest and grassland ecological restoration fund", Special, 500, Area.Environment),
        ("forestry-reform", "林业草原改革发展资金", "Forestry and grassland reform fund", Special, 400, Area.Environment),
        ("ecological-restoration", "重点生态保护修复治理资金", "Key ecological protection and restoration fund", Special, 150, Area.Environment),
        ("marine-ecology", "海洋生态保护修复资金", "Marine ecological restoration fund", Special, 40, Area.Environment),
        ("energy-saving", "节能减排补助资金", "Energy saving and emission reduction fund", Special, 300, Area.Environment),
        ("clean-energy", "清洁能源发展专项资金", "Clean energy development fund", Special, 60, Area.Environment),
        ("urban-sewage", "城市管网及污水处理补助资金", "Urban pipe network and sewage treatment fund", Special, 150, Area.Housing),
        ("agriculture-industry", "农业产业发展资金", "Agricultural industry development fund", Special, 300, Area.Agriculture),
        ("farmland-construction", "农田建设补助资金", "High-standard farmland construction grant", Special, 1_000, Area.Agriculture),
        ("water-resources", "水利发展资金", "Water resources development fund", Special, 600, Area.Agriculture),
        ("fishery", "渔业发展补助资金", "Fishery development grant", Special, 110, Area.Agriculture),
        ("animal-epidemics", "动物防疫等补助经费", "Animal epidemic prevention grant", Special, 60, Area.Agriculture),
        ("crop-insurance", "农业保险保费补贴", "Agricultural insurance premium subsidy", Special, 550, Area.Agriculture),
        ("farm-operators", "农业经营主体能力提升资金", "Farm operators capacity building fund", Special, 120, Area.Agriculture),
        ("grain-risk", "粮食风险基金", "Grain risk fund", Special, 200, Area.Agriculture),
        ("agricultural-disasters", "农业生产防灾减灾资金", "Agricultural disaster prevention fund", Special, 50, Area.Agriculture),
        ("reservoir-migrants", "大中型水库移民后期扶持基金", "Large and medium reservoir migrants support fund", Special, 340, Area.Agriculture),
        ("affordable-housing", "城镇保障性安居工程补助资金", "Urban affordable housing grant", Special, 700, Area.Housing),
        ("rural-housing", "农村危房改造补助资金", "Rural dilapidated housing renovation grant", Special, 60, Area.Housing),
        ("old-neighbourhoods", "城镇老旧小区改造补助资金", "Old urban neighbourhood renovation grant", Special, 350, Area.Housing),
        ("urban-renewal", "城市更新补助资金", "Urban renewal grant", Special, 200, Area.Housing),
        ("county-towns", "县城建设补助资金", "County town construction grant", Special, 100, Area.Housing),
        ("port-construction", "港口建设费补助资金", "Port construction fee subsidy", Special, 60, Area.Transport),
        ("civil-aviation", "民航发展基金补助资金", "Civil aviation development fund", Special, 160, Area.Transport),
        ("rural-roads", "农村公路养护补助资金", "Rural road maintenance grant", Special, 400, Area.Transport),
        ("urban-transit", "城市交通发展奖励资金", "Urban transport development awards", Special, 120, Area.Transport),
        ("heritage", "国家文物保护资金", "National cultural heritage protection fund", Special, 100, Area.Culture),
        ("intangible-heritage", "非物质文化遗产保护资金", "Intangible cultural heritage protection fund", Special, 10, Area.Culture),
        ("cultural-heritage-projects", "文化保护传承利用工程补助资金", "Cultural heritage utilization projects grant", Special, 50, Area.Culture),
        ("tourism", "旅游发展基金补助资金", "Tourism development fund", Special, 20, Area.Culture),
        ("sports-lottery", "体育彩票公益金补助资金", "Sports lottery welfare fund", Special, 40, Area.Culture),
        ("museums-free", "博物馆纪念馆免费开放补助资金", "Free admission to museums grant", Special, 50, Area.Culture),
        ("film-industry", "电影事业发展专项资金", "Film industry development fund", Special, 15, Area.Culture),
        ("smes", "中小企业发展专项资金", "SME development fund", Special, 120, Area.Industry),
        ("industrial-upgrading", "工业转型升级资金", "Industrial transformation and upgrading fund", Special, 150, Area.Industry),
        ("services-industry", "服务业发展资金", "Services industry development fund", Special, 70, Area.Industry),
        ("foreign-trade", "外经贸发展专项资金", "Foreign trade and economic cooperation fund", Special, 100, Area.Industry),
        ("inclusive-finance", "普惠金融发展专项资金", "Inclusive finance development fund", Special, 100, Area.Industry),
        ("science-technology", "中央引导地方科技发展资金", "Central guidance fund for local science and technology", Special, 40, Area.Industry),
        ("digital-economy", "数字经济发展补助资金", "Digital economy development grant", Special, 50, Area.Industry),
        ("commerce-logistics", "县域商业体系建设补助资金", "County commerce and logistics grant", Special, 40, Area.Industry),
        ("disaster-prevention", "自然灾害防治体系建设补助资金", "Natural disaster prevention system grant", Special, 120, Area.Safety),
        ("disaster-relief", "中央自然灾害救灾资金", "Central natural disaster relief fund", Special, 150, Area.Safety),
        ("work-safety", "安全生产预防及应急专项资金", "Work safety prevention and emergency fund", Special, 40, Area.Safety),
        ("geological-hazards", "地质灾害防治资金", "Geological hazard prevention fund", Special, 60, Area.Safety),
        ("fire-rescue", "消防救援能力建设补助资金", "Fire and rescue capacity grant", Special, 30, Area.Safety),
        ("food-safety", "食品药品监管补助资金", "Food and drug regulation grant", Special, 30, Area.Safety),
        ("public-hospitals", "公立医院综合改革补助资金", "Public hospital reform grant", Special, 150, Area.Health),
        ("medical-security-services", "医疗保障服务能力建设补助资金", "Medical security service capacity grant", Special, 40, Area.Health),
        ("mental-health", "精神卫生服务补助资金", "Mental health services grant", Special, 20, Area.Health),
        ("maternal-child-health", "妇幼健康服务补助资金", "Maternal and child health services grant", Special, 60, Area.Health),
        ("social-workers", "社会工作服务补助资金", "Social work services grant", Special, 10, Area.Social),
        ("skills-training", "职业技能提升行动资金", "Vocational skills upgrading fund", Special, 200, Area.Social),
        ("housing-rent", "城镇住房租赁市场发展补助资金", "Urban rental housing market grant", Special, 150, Area.Housing),
        ("land-reclamation", "土地整治补助资金", "Land consolidation grant", Special, 80, Area.Agriculture),
        ("grassland-rewards", "草原生态保护补助奖励资金", "Grassland ecological protection awards", Special, 190, Area.Environment),
    ];

    public const string General = "general";
    public const string Special = "special";

    /// <summary>The programs, in the table's order (general transfers first).</summary>
    public static IReadOnlyList<GrantProgram> All { get; } = [.. Table.Select(ToProgram)];

    /// <summary>The program's envelope for a fiscal year (the same every year: illustrative).</summary>
    public static long EnvelopeYuan(string programId) =>
        Table.Single(t => "il-" + t.Id == programId).Yi * 100_000_000;

    /// <summary>The factors of the program's formula, by what its money is for (columns of the bundled province data).</summary>
    public static IReadOnlyDictionary<string, decimal> Weights(string programId) =>
        Table.Single(t => "il-" + t.Id == programId).Area switch
        {
            Area.Education or Area.Culture => new Dictionary<string, decimal> { ["population_2020"] = 0.6m, ["fiscal_difficulty_coefficient"] = 0.3m, ["performance_score"] = 0.1m },
            Area.Social => new Dictionary<string, decimal> { ["resident_participants"] = 0.5m, ["assistance_recipients"] = 0.3m, ["fiscal_difficulty_coefficient"] = 0.2m },
            Area.Health => new Dictionary<string, decimal> { ["resident_participants"] = 0.4m, ["designated_institutions"] = 0.4m, ["performance_score"] = 0.2m },
            Area.Environment or Area.Agriculture => new Dictionary<string, decimal> { ["population_2020"] = 0.4m, ["fiscal_difficulty_coefficient"] = 0.4m, ["performance_score"] = 0.2m },
            _ => new Dictionary<string, decimal> { ["population_2020"] = 0.5m, ["fiscal_difficulty_coefficient"] = 0.5m },
        };

    /// <summary>The run parameters document of the program's advance for a fiscal year (a factor formula).</summary>
    public static string ParametersJson(string programId, int fiscalYear)
    {
        var weights = string.Join(", ", Weights(programId).Select(w => string.Create(CultureInfo.InvariantCulture, $"\"{w.Key}\": {w.Value}")));
        return string.Create(CultureInfo.InvariantCulture, $$"""{ "program": "{{programId}}", "fiscalYear": {{fiscalYear}}, "envelopeYuan": {{EnvelopeYuan(programId)}}, "formula": { "kind": "factor", "weights": { {{weights}} } } }""");
    }

    private static GrantProgram ToProgram((string Id, string NameZh, string NameEn, string Kind, long Yi, Area Area) t)
    {
        // Revenue: 11002xx general transfer income, 11003xx special transfer income by function; expenditure: the
        // function's class with "99" (other). Illustrative codes.
        var function = t.Area switch
        {
            Area.General => "01", Area.Education => "05", Area.Social => "08", Area.Health => "10", Area.Environment => "11",
            Area.Agriculture => "13", Area.Housing => "12", Area.Transport => "14", Area.Culture => "07", Area.Industry => "15", _ => "04",
        };
        var income = (t.Kind == General ? "11002" : "11003") + function;
        return new GrantProgram("il-" + t.Id, t.NameEn + " (illustrative)", t.NameZh, income, "2" + function + "9999", t.Kind, Illustrative: true);
    }
}
