using System.Text.Json.Nodes;

namespace GrantFlow.Workflows.Api;

/// <summary>One operation of the API as the OpenAPI document describes it.</summary>
public sealed record ApiOperation(string Method, string Route, string OperationId, string Summary, string Roles, bool HasBody = false, IReadOnlyList<string>? Query = null);

/// <summary>
/// GET /api/openapi.json: an OpenAPI 3.1 document of every route, built from <see cref="Operations"/> (one table of
/// method, route, roles and query parameters); a test checks the table against the routes both hosts map. Any signed-in
/// GrantFlow role may read it (no endpoint is anonymous).
/// </summary>
public sealed class OpenApiEndpoints
{
    public const string Route = "openapi.json";

    private static readonly string[] Paging = ["pageSize", "continuationToken"];
    private static readonly string[] LedgerFilters = ["fiscalYear", "program", "province", "runId", "kind", "from", "to"];

    public static readonly IReadOnlyList<ApiOperation> Operations =
    [
        new("get", GrantFlowApi.ListRunsRoute, "ListRuns", "Runs the caller may see, newest first, filtered and paged.", "finance-officer, auditor (all); approver (central); province:{code}, province-approver:{code} (own pass-downs)", Query: ["program", "fiscalYear", "kind", "status", "owner", .. Paging]),
        new("post", GrantFlowApi.StartRunRoute, "StartRun", "Start an advance (or remainder) run: parameters and the province CSV, validated before anything is written.", "finance-officer", HasBody: true),
        new("get", GrantFlowApi.RunRoute, "GetRun", "A run: record, progress {stage, detail}, allocations with explanations, decisions.", "finance-officer, approver, auditor; for a pass-down its province, its approvers"),
        new("post", GrantFlowApi.DecisionsRoute, "DecideRun", "Approve or reject a stage (review, then approval) with a reason.", "approver (a pass-down: province-approver:{code}); not the initiator; two different people", HasBody: true),
        new("get", GrantFlowApi.LedgerRoute, "GetRunLedger", "A run's ledger entries in sequence.", "auditor, finance-officer"),
        new("post", GrantFlowApi.SettlementsRoute, "StartSettlement", "Settle a past year's advance against actual figures.", "finance-officer", HasBody: true),
        new("post", GrantFlowApi.CorrectionsRoute, "StartCorrection", "Correct one province's entry of a run (reversal and replacement).", "finance-officer", HasBody: true),
        new("get", GrantFlowApi.LedgerQueryRoute, "QueryLedger", "Ledger entries by year, program, province, run, kind and time, paged.", "auditor, finance-officer", Query: [.. LedgerFilters, .. Paging]),
        new("get", GrantFlowApi.LedgerTotalsRoute, "LedgerTotals", "Net and gross totals by program, province and kind.", "auditor, finance-officer", Query: LedgerFilters),
        new("get", GrantFlowApi.LedgerExportRoute, "ExportLedger", "The query as CSV (UTF-8 with BOM) or XLSX.", "auditor, finance-officer", Query: [.. LedgerFilters, "format"]),
        new("get", GrantFlowApi.LedgerVerifyRoute, "VerifyLedger", "Verify hash chains, positions, amounts, anchors and notices: a run, a year or everything.", "auditor, finance-officer", Query: ["runId", "fiscalYear"]),
        new("get", GrantFlowApi.NoticesRoute, "GetProvinceNotices", "A province's notices.", "province:{code}, auditor"),
        new("post", GrantFlowApi.AcknowledgeRoute, "AcknowledgeNotice", "Acknowledge a notice (idempotent).", "province:{code}"),
        new("get", GrantFlowApi.MonthlyReportRoute, "MonthlyReport", "Monthly fund report per program and province.", "auditor, finance-officer", Query: ["fiscalYear", "year", "month", "format"]),
        new("get", GrantFlowApi.ChasesRoute, "ListChases", "Notices still unacknowledged, most chased first.", "finance-officer, auditor"),
        new("get", GrantFlowApi.OverduePassDownsRoute, "ListOverduePassDowns", "Notices not passed down within 30 days.", "finance-officer, auditor"),
        new("post", GrantFlowApi.OpenDisputeRoute, "OpenDispute", "Dispute a notice within its window: reason, figures, attachment reference.", "province:{code}", HasBody: true),
        new("get", GrantFlowApi.DisputesRoute, "ListDisputes", "Disputes and each step taken.", "finance-officer, auditor"),
        new("post", GrantFlowApi.ResolveDisputeRoute, "ResolveDispute", "Reject a dispute with a reason, or uphold it into a correction run.", "finance-officer", HasBody: true),
        new("post", GrantFlowApi.PassDownRoute, "StartPassDown", "Pass an acknowledged notice down to the province's counties.", "province:{code}", HasBody: true),
        new("get", GrantFlowApi.CountyNoticesRoute, "GetCountyNotices", "A county's notices.", "county:{code}, its province, auditor"),
        new("post", GrantFlowApi.CountyAcknowledgeRoute, "AcknowledgeCountyNotice", "A county acknowledges its notice.", "county:{code}"),
        new("post", GrantFlowApi.RolesRoute, "Roles", "The GrantFlow roles among a signed-in user's Entra ID claims (the Static Web App's rolesSource).", "any signed-in caller", HasBody: true),
        new("get", GrantFlowApi.HealthRoute, "Health", "Whether the API and its storage answer.", "any GrantFlow role"),
        new("get", Route, "OpenApi", "This document.", "any GrantFlow role"),
    ];

    public static ApiResult Get(ApiCaller? caller)
    {
        if (caller is null)
        {
            return ApiResult.Unauthenticated();
        }

        return caller.Roles.Count == 0 ? ApiResult.Forbidden($"{caller.Name} has no GrantFlow role.") : ApiResult.Ok(Build());
    }

    /// <summary>The OpenAPI 3.1 document.</summary>
    public static JsonObject Build()
    {
        var paths = new JsonObject();
        foreach (var operation in Operations)
        {
            var path = "/api/" + operation.Route;
            if (paths[path] is not JsonObject item)
            {
                item = [];
                paths[path] = item;
            }

            var parameters = new JsonArray();
            foreach (var name in System.Text.RegularExpressions.Regex.Matches(operation.Route, @"\{(\w+)\}").Select(m => m.Groups[1].Value))
            {
                parameters.Add(new JsonObject { ["name"] = name, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
            }

            foreach (var name in operation.Query ?? [])
            {
                parameters.Add(new JsonObject { ["name"] = name, ["in"] = "query", ["required"] = false, ["schema"] = new JsonObject { ["type"] = "string" } });
            }

            var responses = new JsonObject
            {
                ["200"] = new JsonObject { ["description"] = "OK", ["content"] = new JsonObject { ["application/json"] = new JsonObject() } },
                ["400"] = Problem("Invalid input: the field and row of each error; nothing was written."),
                ["401"] = Problem("No caller: `token` says whether the token was missing, expired or invalid."),
                ["403"] = Problem("The caller lacks the role."),
            };
            if (operation.Method == "post")
            {
                responses["202"] = new JsonObject { ["description"] = "Accepted: the run started (Location: the run)." };
                responses["409"] = Problem("Conflict: the state does not allow it (e.g. a stage not awaiting a decision).");
                responses["413"] = Problem("Body over 4 MiB.");
                responses["415"] = Problem("Body not application/json.");
            }

            var entry = new JsonObject
            {
                ["operationId"] = operation.OperationId,
                ["summary"] = operation.Summary,
                ["description"] = "Roles: " + operation.Roles,
                ["parameters"] = parameters,
                ["responses"] = responses,
            };
            if (operation.HasBody)
            {
                entry["requestBody"] = new JsonObject { ["required"] = true, ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } } } };
            }

            item[operation.Method] = entry;
        }

        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject { ["title"] = "GrantFlow API", ["version"] = "1.0", ["description"] = "Advance release of central grants to provinces and on to counties. Every route needs a bearer token (locally `grantflow token`; in Azure, Entra ID through App Service authentication)." },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "/" }),
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject { ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT" } },
                ["schemas"] = new JsonObject
                {
                    ["Problem"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject
                        {
                            ["type"] = new JsonObject { ["type"] = "string" },
                            ["title"] = new JsonObject { ["type"] = "string" },
                            ["status"] = new JsonObject { ["type"] = "integer" },
                            ["detail"] = new JsonObject { ["type"] = "string" },
                            ["errors"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["field"] = new JsonObject { ["type"] = "string" }, ["row"] = new JsonObject { ["type"] = "integer" }, ["message"] = new JsonObject { ["type"] = "string" } } } },
                            ["totalErrors"] = new JsonObject { ["type"] = "integer" },
                            ["token"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("missing", "expired", "invalid") },
                        },
                    },
                },
            },
            ["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray() }),
            ["paths"] = paths,
        };
    }

    private static JsonObject Problem(string description) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/Problem" } } },
    };
}
