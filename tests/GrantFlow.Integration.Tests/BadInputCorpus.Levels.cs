using System.Text.Json.Nodes;

namespace GrantFlow.Integration.Tests;

/// <summary>The bad requests of the prefectures' routes, their pass-down bodies, the ledger's trace and the publication.</summary>
public static partial class BadInputCorpus
{
    private static void AddLevelsAndTrace(Dictionary<string, BadRequest> c)
    {
        void Get(string name, string path, int status, string? field, string role = "auditor") => c.Add(name, new BadRequest("GET", path, role, null, null, status, field));
        Get("trace: sequence abc", $"/api/ledger/trace/{Run}/abc", 400, "sequence");
        Get("trace: sequence 0", $"/api/ledger/trace/{Run}/0", 400, "sequence");
        Get("trace: sequence beyond a run", $"/api/ledger/trace/{Run}/99999999999", 400, "sequence");
        Get("trace: sequence negative", $"/api/ledger/trace/{Run}/-1", 400, "sequence");
        Get("trace: runId injected", "/api/ledger/trace/a%27%20or%20%27/1", 400, "runId");
        Get("trace: no such entry", $"/api/ledger/trace/{Run}/999", 404, null);
        Get("prefecture notices: 4400", "/api/prefectures/4400/notices", 400, "code");
        Get("prefecture notices: a province code", "/api/prefectures/44/notices", 400, "code");
        Get("prefecture notices: a county code", "/api/prefectures/440101/notices", 400, "code");
        Get("prefecture notices: 9901", "/api/prefectures/9901/notices", 400, "code");
        Get("prefecture notices: injected", "/api/prefectures/4401%27%20or%20%27/notices", 400, "code");
        c.Add("prefecture acknowledge: notice number garbage", new BadRequest("POST", "/api/prefectures/4401/notices/nope/acknowledgement", "prefecture:4401", null, null, 400, "noticeNumber"));
        c.Add("prefecture acknowledge: another's notice", new BadRequest("POST", $"/api/prefectures/4401/notices/{Notice}/acknowledgement", "prefecture:4401", null, null, 404, null));
        void PassDown(string name, string path, string role, string? body, int status, string? field, int? row = null) => c.Add("pass-down: " + name, new BadRequest("POST", path, role, Json, body, status, field, row));
        string PassDownBody(Action<JsonObject> change)
        {
            var body = new JsonObject { ["noticeNumber"] = "GF-2026-service-capacity-4401-00000000", ["parameters"] = JsonNode.Parse(Params()), ["retentionShare"] = 0.01m };
            change(body);
            return body.ToJsonString();
        }

        const string Prefectures = "province_code,name_en,name_zh,resident_participants\r\n4401,P,广东01市,10\r\n";
        PassDown("prefecture: no data", "/api/prefectures/4401/pass-downs", "prefecture:4401", PassDownBody(_ => { }), 400, "countiesCsv");
        PassDown("prefecture: to prefectures", "/api/prefectures/4401/pass-downs", "prefecture:4401", PassDownBody(b => b["prefecturesCsv"] = Prefectures), 400, "prefecturesCsv");
        PassDown("prefecture: retention 11%", "/api/prefectures/4401/pass-downs", "prefecture:4401", PassDownBody(b => { b["countiesCsv"] = "x"; b["retentionShare"] = 0.11m; }), 400, "retentionShare");
        PassDown("prefecture: unknown member", "/api/prefectures/4401/pass-downs", "prefecture:4401", PassDownBody(b => b["payTo"] = "me"), 400, "payTo");
        PassDown("prefecture: unknown notice", "/api/prefectures/4401/pass-downs", "prefecture:4401", PassDownBody(b => b["countiesCsv"] = "x"), 404, null);
        PassDown("province: counties and prefectures both", "/api/provinces/44/pass-downs", "province:44", PassDownBody(b => { b["countiesCsv"] = "x"; b["prefecturesCsv"] = Prefectures; }), 400, "countiesCsv");
        PassDown("province: prefecturesCsv 10 MB", "/api/provinces/44/pass-downs", "province:44", PassDownBody(b => b["prefecturesCsv"] = new string('x', 10_000_000)), 413, "body");
        c.Add("publication: run id injected", new BadRequest("POST", "/api/runs/a%27%20or%20%27/publication", "finance-officer", null, null, 400, "runId"));
        c.Add("publication: unknown run", new BadRequest("POST", $"/api/runs/{new string('0', 32)}/publication", "finance-officer", null, null, 404, null));
    }
}
