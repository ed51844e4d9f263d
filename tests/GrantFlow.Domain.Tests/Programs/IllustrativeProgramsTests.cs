using GrantFlow.Domain.Allocation;
using GrantFlow.Domain.Inputs;
using GrantFlow.Domain.Programs;

namespace GrantFlow.Domain.Tests.Programs;

public sealed class IllustrativeProgramsTests
{
    [Fact]
    public void About_a_hundred_programs_with_unique_ids_chinese_names_kinds_and_codes_follow_the_three_seeds()
    {
        var all = GrantProgramCatalog.All.ToList();

        Assert.Equal(["resident-insurance", "medical-assistance", "service-capacity"], all.Take(3).Select(p => p.Id));
        Assert.Equal(100, IllustrativePrograms.All.Count);
        Assert.Equal(all.Count, all.Select(p => p.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(all.Count, all.Select(p => p.NameZh).Distinct(StringComparer.Ordinal).Count());
        Assert.All(IllustrativePrograms.All, p =>
        {
            Assert.True(p.Illustrative);
            Assert.StartsWith("il-", p.Id, StringComparison.Ordinal);
            Assert.Matches("^[a-z0-9-]+$", p.Id);
            Assert.Matches(@"^[\u4e00-\u9fff（）]+$", p.NameZh);
            Assert.EndsWith("(illustrative)", p.NameEn, StringComparison.Ordinal);
            Assert.Contains(p.TransferKind, new[] { IllustrativePrograms.General, IllustrativePrograms.Special });
            Assert.Matches("^1100[23][0-9]{2}$", p.IncomeClassificationCode);
            Assert.Matches("^2[0-9]{6}$", p.ExpenditureClassificationCode);
            Assert.True(GrantProgramCatalog.TryGet(p.Id, out var found) && ReferenceEquals(found, p));
        });
        Assert.All(GrantProgramCatalog.Seeds, p => Assert.False(p.Illustrative));
    }

    [Fact]
    public void Each_program_parameters_allocate_its_whole_envelope_over_the_bundled_provinces()
    {
        var provinces = File.ReadAllText(Path.Combine(TestData.DataDirectory, "provinces-2026.csv"));
        long total = 0;
        foreach (var program in IllustrativePrograms.All)
        {
            var input = RunInput.Parse(IllustrativePrograms.ParametersJson(program.Id, 2027), new StringReader(provinces));
            var result = GrantAllocator.Allocate(input.Parameters, input.Provinces);

            Assert.Equal(IllustrativePrograms.EnvelopeYuan(program.Id), result.TotalYuan);
            Assert.Equal(result.TotalYuan, result.Provinces.Sum(p => p.AmountYuan));
            Assert.Equal(31, result.Provinces.Count);
            Assert.Equal(2027, input.Parameters.FiscalYear);
            total += result.TotalYuan;
        }

        Assert.Equal(7_605_400_000_000, total); // 76,054 亿元 in all; with the seeds' 4,165.57 亿, 80,219.57 亿 (what demo --programs all releases)
    }
}
