using GrantFlow.Domain.Programs;
using GrantFlow.Workflows.Http;
using GrantFlow.Contracts;

namespace GrantFlow.Hosting.Local;

/// <summary>A user of the local console's sign-in page: a name, its roles, and who it stands for.</summary>
public sealed record DemoUser(string User, IReadOnlyList<string> Roles, string Description, string DescriptionZh);

/// <summary>
/// The local host's demo users (<c>grantflow serve</c> only; in Azure, Entra ID signs users in). The central users
/// have the names the demo uses; every province has its bureau and two approvers of its own pass-downs (a reviewer
/// and an approver, two people as segregation of duties requires), and one county (its first, <c>{code}0101</c>).
/// The demo passes 江苏's service-capacity advance to its prefectures: two of them (3201, which the demo passes on to
/// its counties, and 3202, left for a person to do) have their bureau, reviewer and approver, and one county each.
/// </summary>
public static class DemoUsers
{
    public static IReadOnlyList<DemoUser> All { get; } = Build();

    public static DemoUser? Find(string? user) => All.FirstOrDefault(u => string.Equals(u.User, user, StringComparison.Ordinal));

    private static List<DemoUser> Build()
    {
        var users = new List<DemoUser>
        {
            new("official.li", [GrantFlowRoles.FinanceOfficer], "finance official: prepares, starts, settles and corrects runs", "财政部门经办人：准备、发起、清算、更正"),
            new("reviewer.wang", [GrantFlowRoles.Approver], "central reviewer (first approval stage)", "中央复核人（第一审）"),
            new("approver.zhao", [GrantFlowRoles.Approver], "central approver (second approval stage)", "中央审批人（第二审）"),
            new("auditor.chen", [GrantFlowRoles.Auditor], "auditor: queries, exports and verifies; changes nothing", "审计人员：查询、导出、核验，不作修改"),
        };
        foreach (var code in ProvinceCodes.All.Order(StringComparer.Ordinal))
        {
            var (zh, en) = (ProvinceNames.Chinese(code), ProvinceNames.English(code));
            users.Add(new($"bureau.{code}", [GrantFlowRoles.Province(code)], $"finance department of {en} ({code})", $"{zh}省级财政部门（{code}）"));
            users.Add(new($"reviewer.{code}", [GrantFlowRoles.ProvinceApprover(code)], $"reviewer of {en}'s pass-downs ({code})", $"{zh}分解下达复核人（{code}）"));
            users.Add(new($"approver.{code}", [GrantFlowRoles.ProvinceApprover(code)], $"approver of {en}'s pass-downs ({code})", $"{zh}分解下达审批人（{code}）"));
            users.Add(new($"county.{code}0101", [GrantFlowRoles.County(code + "0101")], $"finance bureau of county {code}0101, {en}", $"{zh}县级财政部门（{code}0101）"));
        }

        foreach (var code in new[] { "3201", "3202" })
        {
            users.Add(new($"bureau.{code}", [GrantFlowRoles.Prefecture(code)], $"finance bureau of prefecture {code}, Jiangsu", $"江苏{code[2..]}市财政局（{code}）"));
            users.Add(new($"reviewer.{code}", [GrantFlowRoles.PrefectureApprover(code)], $"reviewer of prefecture {code}'s pass-downs", $"江苏{code[2..]}市分解下达复核人（{code}）"));
            users.Add(new($"approver.{code}", [GrantFlowRoles.PrefectureApprover(code)], $"approver of prefecture {code}'s pass-downs", $"江苏{code[2..]}市分解下达审批人（{code}）"));
            users.Add(new($"county.{code}01", [GrantFlowRoles.County(code + "01")], $"finance bureau of county {code}01, Jiangsu", $"江苏县级财政部门（{code}01）"));
        }

        return users;
    }
}
