using GrantFlow.Domain.Programs;

namespace GrantFlow.Domain.Tests.Validation;

public class ProvinceNamesTests
{
    [Fact]
    public void Every_province_has_the_names_of_the_bundled_data()
    {
        var rows = File.ReadAllLines(Path.Combine(TestData.DataDirectory, "provinces-2026.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(ProvinceCodes.All.Order(StringComparer.Ordinal), rows.Select(r => r[0]));
        Assert.All(rows, r => Assert.Equal((r[2], r[1]), (ProvinceNames.Chinese(r[0]), ProvinceNames.English(r[0]))));
    }

    [Theory]
    [InlineData("44", "44")]
    [InlineData("广东", "44")]
    [InlineData(" 广东省 ", "44")]
    [InlineData("guangdong", "44")]
    [InlineData("陕西", "61")]
    [InlineData("山西省", "14")]
    [InlineData("内蒙古自治区", "15")]
    [InlineData("广", null)]
    [InlineData("99", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void A_province_is_found_by_its_code_or_its_name(string? typed, string? code) => Assert.Equal(code, ProvinceNames.Find(typed));
}
