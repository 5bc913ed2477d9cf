// The API reference page: Scalar draws the hub's OpenAPI document (served by the hub at /api/openapi.json). No fonts or
// anything else are fetched from outside the hub.
Scalar.createApiReference("#api-reference", {
  url: "/api/openapi.json",
  withDefaultFonts: false,
  hideClientButton: true,
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
});
