namespace GrantFlow.Domain.Programs;

/// <summary>The names of the 31 provincial-level divisions (GB/T 2260), as officials write them: 广东, Guangdong.</summary>
public static class ProvinceNames
{
    private static readonly Dictionary<string, (string Zh, string En)> Names = new(StringComparer.Ordinal)
    {
        ["11"] = ("北京", "Beijing"), ["12"] = ("天津", "Tianjin"), ["13"] = ("河北", "Hebei"), ["14"] = ("山西", "Shanxi"),
        ["15"] = ("内蒙古", "Inner Mongolia"), ["21"] = ("辽宁", "Liaoning"), ["22"] = ("吉林", "Jilin"), ["23"] = ("黑龙江", "Heilongjiang"),
        ["31"] = ("上海", "Shanghai"), ["32"] = ("江苏", "Jiangsu"), ["33"] = ("浙江", "Zhejiang"), ["34"] = ("安徽", "Anhui"),
        ["35"] = ("福建", "Fujian"), ["36"] = ("江西", "Jiangxi"), ["37"] = ("山东", "Shandong"), ["41"] = ("河南", "Henan"),
        ["42"] = ("湖北", "Hubei"), ["43"] = ("湖南", "Hunan"), ["44"] = ("广东", "Guangdong"), ["45"] = ("广西", "Guangxi"),
        ["46"] = ("海南", "Hainan"), ["50"] = ("重庆", "Chongqing"), ["51"] = ("四川", "Sichuan"), ["52"] = ("贵州", "Guizhou"),
        ["53"] = ("云南", "Yunnan"), ["54"] = ("西藏", "Tibet"), ["61"] = ("陕西", "Shaanxi"), ["62"] = ("甘肃", "Gansu"),
        ["63"] = ("青海", "Qinghai"), ["64"] = ("宁夏", "Ningxia"), ["65"] = ("新疆", "Xinjiang"),
    };

    /// <summary>The Chinese name of a province code, or null for a code that is not one.</summary>
    public static string? Chinese(string? code) => code is not null && Names.TryGetValue(code, out var name) ? name.Zh : null;

    /// <summary>The English name of a province code, or null for a code that is not one.</summary>
    public static string? English(string? code) => code is not null && Names.TryGetValue(code, out var name) ? name.En : null;

    /// <summary>
    /// The province code a person typed: the code itself, or its Chinese or English name (广东, 广东省, guangdong);
    /// null when it names no province.
    /// </summary>
    public static string? Find(string? text)
    {
        var typed = text?.Trim();
        if (string.IsNullOrEmpty(typed))
        {
            return null;
        }

        if (Names.ContainsKey(typed))
        {
            return typed;
        }

        foreach (var (code, (zh, en)) in Names)
        {
            if (typed.StartsWith(zh, StringComparison.Ordinal) || string.Equals(typed, en, StringComparison.OrdinalIgnoreCase))
            {
                return code;
            }
        }

        return null;
    }
}
