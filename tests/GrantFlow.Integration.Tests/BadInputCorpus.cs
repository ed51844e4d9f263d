using System.Text.Json;
using System.Text.Json.Nodes;

namespace GrantFlow.Integration.Tests;

/// <summary>
/// The bad requests of <see cref="BadInputCorpusTests"/>, by route: what is sent, as whom, and the status and field
/// (and CSV row) the answer must name. <c>{run}</c> and <c>{notice}</c> stand for a completed run and another
/// province's notice, filled in when sent.
/// </summary>
public static partial class BadInputCorpus
{
    /// <summary>One bad request: what is sent, as whom, and the status and field the answer must name.</summary>
    public sealed record BadRequest(string Method, string Path, string Role, string? ContentType, string? Body, int Status, string? Field, int? Row = null);

    public const string Run = "{run}";
    public const string Notice = "{notice}";
    private const string Json = "application/json";
    private static readonly string Csv = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "provinces-2026.csv"));

    private static string Params(Action<JsonObject>? change = null)
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "runs", "service-capacity-2026.json")))!.AsObject();
        node["fiscalYear"] = 2090; // a year no other case releases
        change?.Invoke(node);
        return node.ToJsonString();
    }

    private static string StartBody(string? parameters = null, string? csv = null, Action<JsonObject>? change = null)
    {
        var body = new JsonObject { ["parameters"] = JsonNode.Parse(parameters ?? Params()), ["provincesCsv"] = csv ?? Csv };
        change?.Invoke(body);
        return body.ToJsonString();
    }

    private static string CsvWith(string from, string to) => Csv.Replace(from, to, StringComparison.Ordinal);

    public static readonly IReadOnlyDictionary<string, BadRequest> Cases = Build();

    private static Dictionary<string, BadRequest> Build()
    {
        var c = new Dictionary<string, BadRequest>(StringComparer.Ordinal);
        void Add(string name, BadRequest value) => c.Add(name, value);
        void Start(string name, string? contentType, string? body, int status, string? field, int? row = null)
        {
            Add("runs: " + name, new BadRequest("POST", "/api/runs", "finance-officer", contentType, body, status, field, row));
            if (!name.StartsWith("csv", StringComparison.Ordinal) || name.Contains("mojibake", StringComparison.Ordinal))
            {
                Add("settlements: " + name, new BadRequest("POST", "/api/settlements", "finance-officer", contentType, body, status, field, row));
            }
        }

        // The body itself.
        Start("text/plain", "text/plain", StartBody(), 415, "Content-Type");
        Start("no content type", null, StartBody(), 415, "Content-Type");
        Start("form", "application/x-www-form-urlencoded", "parameters=x", 415, "Content-Type");
        Start("latin-1 charset", "application/json; charset=iso-8859-1", StartBody(), 415, "Content-Type");
        Start("empty body", Json, string.Empty, 400, "body");
        Start("not json", Json, "{parameters: nope", 400, null);
        Start("json null", Json, "null", 400, "body");
        Start("json array", Json, "[]", 400, null);
        Start("json string", Json, "\"run\"", 400, null);
        Start("invalid utf-8", Json, "\u00ff\u00fe", 400, null);
        Start("5 MB body", Json, StartBody(csv: Csv + new string(' ', 5 * 1024 * 1024)), 413, "body");
        Start("deep nesting", Json, new string('[', 100) + new string(']', 100), 400, null);
        Start("unknown member", Json, StartBody(change: b => b["mallory"] = 1), 400, "mallory");
        Start("parameters null", Json, StartBody(change: b => b["parameters"] = null), 400, "parameters");
        Start("parameters missing", Json, StartBody(change: b => b.Remove("parameters")), 400, "parameters");
        Start("parameters a string", Json, StartBody(change: b => b["parameters"] = "{}"), 400, "parameters");
        Start("parameters an array", Json, StartBody(change: b => b["parameters"] = new JsonArray()), 400, "parameters");
        Start("provincesCsv null", Json, StartBody(change: b => b["provincesCsv"] = null), 400, "provincesCsv");
        Start("provincesCsv missing", Json, StartBody(change: b => b.Remove("provincesCsv")), 400, "provincesCsv");
        Start("provincesCsv a number", Json, StartBody(change: b => b["provincesCsv"] = 42), 400, "provincesCsv");
        Start("approvalTimeout zero", Json, StartBody(change: b => b["approvalTimeout"] = "00:00:00"), 400, "approvalTimeout");
        Start("approvalTimeout negative", Json, StartBody(change: b => b["approvalTimeout"] = "-01:00:00"), 400, "approvalTimeout");
        Start("approvalTimeout max", Json, StartBody(change: b => b["approvalTimeout"] = TimeSpan.MaxValue.ToString()), 400, "approvalTimeout");
        Start("approvalTimeout 91 days", Json, StartBody(change: b => b["approvalTimeout"] = "91.00:00:00"), 400, "approvalTimeout");
        Start("approvalTimeout text", Json, StartBody(change: b => b["approvalTimeout"] = "a week"), 400, "approvalTimeout");
        Start("approvalTimeout a number", Json, StartBody(change: b => b["approvalTimeout"] = 7), 400, "approvalTimeout");

        // The parameters document.
        Start("program null", Json, StartBody(Params(p => p["program"] = null)), 400, "program");
        Start("program missing", Json, StartBody(Params(p => p.Remove("program"))), 400, "program");
        Start("program unknown", Json, StartBody(Params(p => p["program"] = "bridges")), 400, "program");
        Start("program injected", Json, StartBody(Params(p => p["program"] = "x' or PartitionKey ne '")), 400, "program");
        Start("program 100 KB", Json, StartBody(Params(p => p["program"] = new string('p', 100_000))), 400, "program");
        Start("formula null", Json, StartBody(Params(p => p["formula"] = null)), 400, "formula");
        Start("formula missing", Json, StartBody(Params(p => p.Remove("formula"))), 400, "formula");
        Start("formula kind null", Json, StartBody(Params(p => p["formula"]!["kind"] = null)), 400, "formula.kind");
        Start("formula kind unknown", Json, StartBody(Params(p => p["formula"]!["kind"] = "lottery")), 400, "formula.kind");
        Start("weights null", Json, StartBody(Params(p => p["formula"]!["weights"] = null)), 400, "formula.weights");
        Start("weight null", Json, StartBody(Params(p => p["formula"]!["weights"]!["performance_score"] = null)), 400, null);
        Start("weight negative", Json, StartBody(Params(p => p["formula"]!["weights"]!["performance_score"] = -0.1)), 400, "formula.weights.performance_score");
        Start("weights not summing to 1", Json, StartBody(Params(p => p["formula"]!["weights"]!["performance_score"] = 0.2)), 400, "formula.weights");
        Start("weight on unknown column", Json, StartBody(Params(p => p["formula"]!["weights"]!["gdp"] = 0)), 400, "formula.weights.gdp");
        Start("weight as string", Json, StartBody(Params(p => p["formula"]!["weights"]!["performance_score"] = "0.1")), 400, null);
        Start("standardYuan on factor", Json, StartBody(Params(p => p["formula"]!["standardYuan"] = 5)), 400, "formula.standardYuan");
        Start("fiscalYear null", Json, StartBody(Params(p => p["fiscalYear"] = null)), 400, null);
        Start("fiscalYear string", Json, StartBody(Params(p => p["fiscalYear"] = "2026")), 400, null);
        Start("fiscalYear 1999", Json, StartBody(Params(p => p["fiscalYear"] = 1999)), 400, "fiscalYear");
        Start("fiscalYear 1e10", Json, StartBody(Params(p => p["fiscalYear"] = 10_000_000_000L)), 400, null);
        Start("envelope zero", Json, StartBody(Params(p => p["envelopeYuan"] = 0)), 400, "envelopeYuan");
        Start("envelope negative", Json, StartBody(Params(p => p["envelopeYuan"] = -1)), 400, "envelopeYuan");
        Start("envelope fractional", Json, StartBody(Params(p => p["envelopeYuan"] = 1.5)), 400, null);
        Start("envelope beyond long", Json, StartBody(Params(p => p["envelopeYuan"] = 1e30)), 400, null);
        Start("envelope null", Json, StartBody(Params(p => p["envelopeYuan"] = null)), 400, null);
        Start("floor ratio 2", Json, StartBody(Params(p => p["floor"] = new JsonObject { ["ratio"] = 2, ["basis"] = "population_2020" })), 400, "floor.ratio");
        Start("floor basis unknown", Json, StartBody(Params(p => p["floor"] = new JsonObject { ["ratio"] = 0.5, ["basis"] = "gdp" })), 400, "floor.basis");
        Start("floor basis null", Json, StartBody(Params(p => p["floor"] = new JsonObject { ["ratio"] = 0.5, ["basis"] = null })), 400, null);
        Start("infeasible floors", Json, StartBody(Params(p => p["floor"] = new JsonObject { ["ratio"] = 1, ["basis"] = "designated_institutions" }) .Replace("3505000000", "1000", StringComparison.Ordinal)), 422, "floor");

        // The province CSV.
        Start("csv empty", Json, StartBody(csv: string.Empty), 400, "provinces");
        Start("csv header only", Json, StartBody(csv: Csv.Split('\n')[0]), 400, "provinces");
        Start("csv county code beside its province", Json, StartBody(csv: Csv.TrimEnd() + "\n110101,Dongcheng,东城区,5,0.1,700000,120000,120000,1,1,0.5,90,10\n"), 400, "province_code", 33);
        Start("csv unknown province 99", Json, StartBody(csv: CsvWith("65,Xinjiang", "99,Xinjiang")), 400, "province_code", 32);
        Start("csv duplicate province", Json, StartBody(csv: CsvWith("12,Tianjin", "11,Tianjin")), 400, "province_code", 3);
        Start("csv code injected", Json, StartBody(csv: CsvWith("12,Tianjin", "1' or '1'='1,Tianjin")), 400, "province_code", 3);
        Start("csv not a number", Json, StartBody(csv: CsvWith("11,Beijing,北京,5,0.1,21890000,3718000", "11,Beijing,北京,5,0.1,21890000,lots")), 400, "resident_participants", 2);
        Start("csv negative", Json, StartBody(csv: CsvWith("11,Beijing,北京,5,0.1,21890000,3718000", "11,Beijing,北京,5,0.1,21890000,-3718000")), 400, "resident_participants", 2);
        Start("csv 200 KB name", Json, StartBody(csv: CsvWith("11,Beijing,", "11," + new string('B', 200_000) + ",")), 400, "name_en", 2);
        Start("csv 3 MB text column", Json, StartBody(csv: CsvWith("12,Tianjin,", "12," + new string('T', 3_000_000) + ",")), 400, "name_en", 3);
        Start("csv long number", Json, StartBody(csv: CsvWith(",3718000,", "," + new string('9', 500) + ",")), 400, "resident_participants", 2);
        Start("csv missing column", Json, StartBody(csv: string.Join('\n', Csv.Split('\n').Select(l => string.Join(',', l.Split(',').Take(12))))), 400, "designated_institutions");
        Start("csv unknown column", Json, StartBody(csv: CsvWith("designated_institutions\r\n", "designated_institutions,gdp\r\n")), 400, "provinces");
        Start("csv wrong field count", Json, StartBody(csv: CsvWith("11,Beijing,北京,5,", "11,Beijing,5,")), 400, "provinces", 2);
        Start("csv mojibake", Json, StartBody(csv: CsvWith("北京", "\uFFFD\uFFFD")), 400, null);
        Start("csv 5000 bad rows", Json, StartBody(csv: Csv.Split('\n')[0] + "\n" + string.Concat(Enumerable.Repeat("xx,a,b,1,1,1,1,1,1,1,1,1,1\n", 5000))), 400, "province_code");

        // Corrections.
        static string Correction(Action<JsonObject> change)
        {
            var body = new JsonObject { ["correctsRunId"] = Run, ["provinceCode"] = "44", ["amountYuan"] = 1, ["reason"] = "census corrected" };
            change(body);
            return body.ToJsonString();
        }

        void Corr(string name, string? contentType, string? body, int status, string? field) =>
            Add("corrections: " + name, new BadRequest("POST", "/api/corrections", "finance-officer", contentType, body, status, field));
        Corr("text/plain", "text/plain", Correction(_ => { }), 415, "Content-Type");
        Corr("not json", Json, "{", 400, null);
        Corr("null", Json, "null", 400, "correctsRunId");
        Corr("correctsRunId null", Json, Correction(b => b["correctsRunId"] = null), 400, "correctsRunId");
        foreach (var bad in new[] { "../x", "a/b", "a\\b", "a#b", "a?b", "..", "%2F", new string('a', 33), "ABCDEF0123456789ABCDEF0123456789" })
        {
            Corr($"correctsRunId '{bad[..Math.Min(bad.Length, 12)]}'", Json, Correction(b => b["correctsRunId"] = bad), 400, "correctsRunId");
        }

        Corr("unknown run", Json, Correction(b => b["correctsRunId"] = new string('0', 32)), 400, "correctsRunId");
        Corr("provinceCode null", Json, Correction(b => b["provinceCode"] = null), 400, "provinceCode");
        Corr("provinceCode 99", Json, Correction(b => b["provinceCode"] = "99"), 400, "provinceCode");
        Corr("provinceCode county", Json, Correction(b => b["provinceCode"] = "440103"), 400, "provinceCode");
        Corr("amount negative", Json, Correction(b => b["amountYuan"] = -5), 400, "amountYuan");
        Corr("amount string", Json, Correction(b => b["amountYuan"] = "5"), 400, "amountYuan");
        Corr("amount fractional", Json, Correction(b => b["amountYuan"] = 5.5), 400, "amountYuan");
        Corr("reason null", Json, Correction(b => b["reason"] = null), 400, "reason");
        Corr("reason blank", Json, Correction(b => b["reason"] = "   "), 400, "reason");
        Corr("reason 3 MB", Json, Correction(b => b["reason"] = new string('r', 3_000_000)), 400, "reason");
        Corr("reason 3000", Json, Correction(b => b["reason"] = new string('r', 3_000)), 400, "reason");
        Corr("unknown member", Json, Correction(b => b["approvedBy"] = "me"), 400, "approvedBy");
        Corr("approvalTimeout smuggled", Json, Correction(b => b["approvalTimeout"] = "00:00:00"), 400, "approvalTimeout");

        // Decisions.
        static string Decision(Action<JsonObject> change)
        {
            var body = new JsonObject { ["stage"] = "review", ["decision"] = "approve" };
            change(body);
            return body.ToJsonString();
        }

        void Decide(string name, string path, string? contentType, string? body, int status, string? field) =>
            Add("decisions: " + name, new BadRequest("POST", path, "approver", contentType, body, status, field));
        foreach (var bad in new[] { "..%2F..%2Fx", "a%5Cb", "a%23b", "a%3Fb", "0000000000000000000000000000000g", "abc" })
        {
            Decide($"run id '{bad}'", $"/api/runs/{bad}/decisions", Json, Decision(_ => { }), 400, "runId");
        }

        Decide("text/plain", $"/api/runs/{Run}/decisions", "text/plain", Decision(_ => { }), 415, "Content-Type");
        Decide("no content type", $"/api/runs/{Run}/decisions", null, Decision(_ => { }), 415, "Content-Type");
        Decide("stage null", $"/api/runs/{Run}/decisions", Json, Decision(b => b["stage"] = null), 400, "stage");
        Decide("stage unknown", $"/api/runs/{Run}/decisions", Json, Decision(b => b["stage"] = "final"), 400, "stage");
        Decide("decision null", $"/api/runs/{Run}/decisions", Json, Decision(b => b["decision"] = null), 400, "decision");
        Decide("decision maybe", $"/api/runs/{Run}/decisions", Json, Decision(b => b["decision"] = "maybe"), 400, "decision");
        Decide("reject without reason", $"/api/runs/{Run}/decisions", Json, Decision(b => b["decision"] = "reject"), 400, "reason");
        Decide("reason 40 KB", $"/api/runs/{Run}/decisions", Json, Decision(b => b["reason"] = new string('r', 40_000)), 400, "reason");
        Decide("reason 1 MB", $"/api/runs/{Run}/decisions", Json, Decision(b => { b["decision"] = "reject"; b["reason"] = new string('r', 1_000_000); }), 400, "reason");
        Decide("unknown member", $"/api/runs/{Run}/decisions", Json, Decision(b => b["decidedBy"] = "zhao"), 400, "decidedBy");
        Decide("not json", $"/api/runs/{Run}/decisions", Json, "approve", 400, null);
        Decide("completed run", $"/api/runs/{Run}/decisions", Json, Decision(_ => { }), 409, null);
        Decide("unknown run", $"/api/runs/{new string('0', 32)}/decisions", Json, Decision(_ => { }), 404, null);

        // Reads with bad identifiers and parameters.
        // (A route segment ".." is resolved by the client before it is sent: those requests reach another route, see below.)
        foreach (var bad in new[] { "a%2Fb", "a%5Cb", "a%23b", "a%3Fb", "x%27%20or%20%271%27%3D%271", new string('f', 31), new string('f', 200) })
        {
            Add($"get run: '{bad[..Math.Min(bad.Length, 24)]}' ({bad.Length})", new BadRequest("GET", $"/api/runs/{bad}", "auditor", null, null, 400, "runId"));
            Add($"run ledger: '{bad[..Math.Min(bad.Length, 24)]}' ({bad.Length})", new BadRequest("GET", $"/api/runs/{bad}/ledger", "auditor", null, null, 400, "runId"));
        }

        void Get(string name, string path, int status, string? field, string role = "auditor") => Add(name, new BadRequest("GET", path, role, null, null, status, field));
        Get("dots resolved to an unknown route", "/api/runs/../../etc/passwd", 404, null);
        Get("dots resolved to a route without its parameters", "/api/runs/../ledger", 400, "fiscalYear");
        Add("decisions: dots resolved to an unknown route", new BadRequest("POST", "/api/runs/../decisions", "approver", Json, "{}", 404, null));
        foreach (var size in new[] { "abc", "-5", "0", "100000000000", "1001", "1.5", "%20" })
        {
            Get($"ledger: pageSize '{size}'", $"/api/ledger?fiscalYear=2026&pageSize={size}", 400, "pageSize");
        }

        foreach (var token in new[] { "garbage", "MHw", "djF8MDAwMHwwfA", "djF8" + new string('A', 20), new string('A', 2000), "%00%01" })
        {
            Get($"ledger: forged token '{token[..Math.Min(token.Length, 12)]}'", $"/api/ledger?fiscalYear=2026&continuationToken={token}", 400, "continuationToken");
        }

        Get("ledger: no fiscalYear", "/api/ledger", 400, "fiscalYear");
        Get("ledger: fiscalYear abc", "/api/ledger?fiscalYear=abc", 400, "fiscalYear");
        Get("ledger: fiscalYear 1999", "/api/ledger?fiscalYear=1999", 400, "fiscalYear");
        Get("ledger: program unknown", "/api/ledger?fiscalYear=2026&program=bridges", 400, "program");
        Get("ledger: program injected", "/api/ledger?fiscalYear=2026&program=x%27%20or%20true", 400, "program");
        Get("ledger: province 99", "/api/ledger?fiscalYear=2026&province=99", 400, "province");
        Get("ledger: province injected", "/api/ledger?fiscalYear=2026&province=44%27%20or%20%27", 400, "province");
        Get("ledger: runId slash", "/api/ledger?fiscalYear=2026&runId=a%2Fb", 400, "runId");
        Get("ledger: runId dots", "/api/ledger?fiscalYear=2026&runId=..", 400, "runId");
        Get("ledger: kind unknown", "/api/ledger?fiscalYear=2026&kind=bonus", 400, "kind");
        Get("ledger: from not a date", "/api/ledger?fiscalYear=2026&from=yesterday", 400, "from");
        Get("ledger: to before from", "/api/ledger?fiscalYear=2026&from=2026-12-01&to=2026-01-01", 400, "to");
        Get("ledger: 2000-char value", "/api/ledger?fiscalYear=2026&program=" + new string('p', 2000), 400, "program");
        Get("totals: no fiscalYear", "/api/ledger/totals", 400, "fiscalYear");
        Get("totals: province abc", "/api/ledger/totals?fiscalYear=2026&province=abc", 400, "province");
        Get("export: format pdf", "/api/ledger/export?fiscalYear=2026&format=pdf", 400, "format");
        Get("export: format injected", "/api/ledger/export?fiscalYear=2026&format=csv%00", 400, "format");
        Get("export: no fiscalYear", "/api/ledger/export?format=csv", 400, "fiscalYear");
        Get("verify: fiscalYear abc", "/api/ledger/verify?fiscalYear=abc", 400, "fiscalYear");
        Get("verify: fiscalYear -1", "/api/ledger/verify?fiscalYear=-1", 400, "fiscalYear");
        Get("verify: runId slash", "/api/ledger/verify?runId=..%2F..%2Fx", 400, "runId");
        Get("verify: runId hash", "/api/ledger/verify?runId=a%23b", 400, "runId");
        Get("verify: unknown run", $"/api/ledger/verify?runId={new string('0', 32)}", 404, null);
        Get("report: format pdf", "/api/reports/monthly?fiscalYear=2026&month=2026-12&format=pdf", 400, "format");
        Get("report: month 13", "/api/reports/monthly?fiscalYear=2026&month=2026-13", 400, "month");
        Get("report: month missing", "/api/reports/monthly?fiscalYear=2026", 400, "month");
        Get("report: fiscalYear abc", "/api/reports/monthly?fiscalYear=abc&month=2026-12", 400, "fiscalYear");
        Get("report: fiscalYear missing", "/api/reports/monthly?month=2026-12", 400, "fiscalYear");
        Get("notices: province 99", "/api/provinces/99/notices", 400, "code", "province:44");
        Get("notices: province dots", "/api/provinces/../notices", 404, null, "province:44");
        Get("notices: province injected", "/api/provinces/44%27%20or%20%27/notices", 400, "code", "auditor");

        void Ack(string name, string path, int status, string? field) => Add("acknowledge: " + name, new BadRequest("POST", path, "province:44", null, null, status, field));
        Ack("notice number garbage", "/api/provinces/44/notices/nope/acknowledgement", 400, "noticeNumber");
        Ack("notice number injected", "/api/provinces/44/notices/GF-2026%27%20or%20%27/acknowledgement", 400, "noticeNumber");
        Ack("notice number 500 chars", $"/api/provinces/44/notices/GF-{new string('9', 500)}/acknowledgement", 400, "noticeNumber");
        Ack("unknown notice", "/api/provinces/44/notices/GF-2026-service-capacity-44-00000000/acknowledgement", 404, null);
        Ack("another province's notice", $"/api/provinces/44/notices/{Notice}/acknowledgement", 404, null);
        Ack("province 99", "/api/provinces/99/notices/GF-2026-service-capacity-99-00000000/acknowledgement", 400, "code");
        void Dispute(string name, string path, string role, string? contentType, string? body, int status, string? field) => Add("disputes: " + name, new BadRequest("POST", path, role, contentType, body, status, field));
        var own = $"/api/provinces/45/notices/{Notice}/disputes";
        Dispute("text/plain", own, "province:45", "text/plain", "{\"reason\":\"r\"}", 415, "Content-Type");
        Dispute("reason null", own, "province:45", Json, "{\"reason\":null}", 400, "reason");
        Dispute("reason missing", own, "province:45", Json, "{}", 400, "reason");
        Dispute("reason 3000", own, "province:45", Json, JsonSerializer.Serialize(new { reason = new string('r', 3000) }), 400, "reason");
        Dispute("21 figures", own, "province:45", Json, JsonSerializer.Serialize(new { reason = "r", figures = Enumerable.Repeat(new { field = "f", claimed = "1" }, 21) }), 400, "figures");
        Dispute("figure without value", own, "province:45", Json, JsonSerializer.Serialize(new { reason = "r", figures = new[] { new { field = "f", claimed = "" } } }), 400, "figures[0]");
        Dispute("attachment with control characters", own, "province:45", Json, JsonSerializer.Serialize(new { reason = "r", attachment = "a\u0000b" }), 400, "attachment");
        Dispute("unknown member", own, "province:45", Json, JsonSerializer.Serialize(new { reason = "r", amountYuan = 5 }), 400, "amountYuan");
        Dispute("notice number garbage", "/api/provinces/45/notices/nope/disputes", "province:45", Json, "{\"reason\":\"r\"}", 400, "noticeNumber");
        Dispute("province 99", "/api/provinces/99/notices/GF-2026-service-capacity-99-00000000/disputes", "province:45", Json, "{\"reason\":\"r\"}", 400, "code");
        Dispute("resolution of an undisputed notice", $"/api/disputes/45/{Notice}/resolution", "finance-officer", Json, JsonSerializer.Serialize(new { decision = "reject", reason = "no" }), 404, null);
        Dispute("resolution decision maybe", $"/api/disputes/45/{Notice}/resolution", "finance-officer", Json, JsonSerializer.Serialize(new { decision = "maybe", reason = "no" }), 400, "decision");
        Dispute("uphold without amount", $"/api/disputes/45/{Notice}/resolution", "finance-officer", Json, JsonSerializer.Serialize(new { decision = "uphold", reason = "yes" }), 400, "amountYuan");
        Dispute("uphold with a negative amount", $"/api/disputes/45/{Notice}/resolution", "finance-officer", Json, JsonSerializer.Serialize(new { decision = "uphold", reason = "yes", amountYuan = -1 }), 400, "amountYuan");
        Get("disputes: status unknown", "/api/disputes?status=closed", 400, "status");
        Get("disputes: list for province 99", "/api/disputes?province=99", 400, "province");
        void Plan(string name, string path, string? body, int status, string? field) => Add("plans: " + name, new BadRequest("PUT", path, "finance-officer", Json, body, status, field));
        Plan("unknown program", "/api/plans/no-such/2026", "{\"expectedYuan\":1}", 400, "program");
        Plan("program injected", "/api/plans/x%27%20or%20%27/2026", "{\"expectedYuan\":1}", 400, "program");
        Plan("year abc", "/api/plans/service-capacity/abc", "{\"expectedYuan\":1}", 400, "fiscalYear");
        Plan("expected 0", "/api/plans/service-capacity/2026", "{\"expectedYuan\":0}", 400, "expectedYuan");
        Plan("expected a string", "/api/plans/service-capacity/2026", "{\"expectedYuan\":\"1\"}", 400, "expectedYuan");
        Plan("expected beyond any envelope", "/api/plans/service-capacity/2026", "{\"expectedYuan\":100000000000001}", 400, "expectedYuan");
        Plan("kind unknown", "/api/plans/service-capacity/2026", "{\"expectedYuan\":1,\"transferKind\":\"block\"}", 400, "transferKind");
        Plan("reason 501", "/api/plans/service-capacity/2026", JsonSerializer.Serialize(new { expectedYuan = 1, reason = new string('r', 501) }), 400, "reason");
        Plan("unknown member", "/api/plans/service-capacity/2026", "{\"expectedYuan\":1,\"mallory\":1}", 400, "mallory");
        Plan("json null", "/api/plans/service-capacity/2026", "null", 400, "body");
        Get("plans: fiscalYear missing", "/api/plans", 400, "fiscalYear");
        Get("plans: program unknown", "/api/plans?fiscalYear=2026&program=nope", 400, "program");
        AddLevelsAndTrace(c);
        Start("advance exception 501", Json, StartBody(change: b => b["advanceException"] = new string('x', 501)), 400, "advanceException");
        Start("workbook not base64", Json, StartBody(change: b => { b.Remove("provincesCsv"); b["provincesXlsx"] = "%%%"; }), 400, "provincesXlsx");
        Start("workbook not a workbook", Json, StartBody(change: b => { b.Remove("provincesCsv"); b["provincesXlsx"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Csv)); }), 400, "provincesXlsx");
        Start("workbook and csv both", Json, StartBody(change: b => b["provincesXlsx"] = "AAAA"), 400, "provincesXlsx");
        return c;
    }
}
