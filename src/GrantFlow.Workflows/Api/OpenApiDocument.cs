using System.Text.Json.Nodes;
using GrantFlow.Workflows.Http;
using GrantFlow.Contracts;

namespace GrantFlow.Workflows.Api;

/// <summary>
/// GET /api/openapi.json: an OpenAPI 3.1 document of every route, built from <see cref="ApiOperations.All"/>, the
/// table both hosts map. Any signed-in GrantFlow role may read it (no endpoint is anonymous).
/// </summary>
public sealed class OpenApiEndpoints
{
    public const string Route = ApiRoutes.OpenApi;

    public static ApiResult Get() => ApiResult.Ok(Build());

    /// <summary>The OpenAPI 3.1 document.</summary>
    public static JsonObject Build()
    {
        var paths = new JsonObject();
        foreach (var operation in ApiOperations.All)
        {
            var path = "/api/" + operation.Route;
            var method = operation.Method.ToLowerInvariant();
            if (paths[path] is not JsonObject item)
            {
                item = [];
                paths[path] = item;
            }

            var parameters = new JsonArray();
            foreach (var name in operation.RouteParameters)
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
            if (method == "post")
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
                ["description"] = "Roles: " + operation.Access.Description,
                ["parameters"] = parameters,
                ["responses"] = responses,
            };
            if (operation.Access.IsPublic)
            {
                entry["security"] = new JsonArray(); // open data: no token
            }

            if (operation.HasBody)
            {
                entry["requestBody"] = new JsonObject { ["required"] = true, ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } } } };
            }

            item[method] = entry;
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
