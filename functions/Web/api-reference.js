// The API reference page: Scalar draws the hub's OpenAPI document (served by the hub at /api/openapi.json) in the
// reader's system fonts: nothing is fetched from outside the hub.
Scalar.createApiReference("#api-reference", {
  url: "/api/openapi.json",
  withDefaultFonts: false,
  hideClientButton: true,
  telemetry: false,
  customCss: ":root, .scalar-app { --scalar-font: Arial, sans-serif; --scalar-font-code: ui-monospace, monospace; }",
});
