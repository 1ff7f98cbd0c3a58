import * as assert from "node:assert/strict";
import { TestServer } from "../../support/httpsTestServer";
import { catalogue } from "./bindingCatalogue";
import { selectJsonPath } from "./jsonPath";
import { renderTemplate } from "./mustache";
import { type PickerFetch, resolveBinding, substituteInputs } from "./resolveBinding";

// The pieces of a binding's resolution on their own: Mustache and its paging helpers, the
// JSONPath subset, `$(input)`, and paging followed to its end against a server that pages.

/** GET with Node's fetch (the test servers here speak plain HTTP on loopback). */
const fetchJson: PickerFetch = async (url) => {
  const response = await globalThis.fetch(url);
  return { status: response.status, body: await response.json() };
};

describe("binding templates, as the server reads them", () => {
  describe("Mustache", () => {
    it("inserts {{{ }}} as is and {{ }} HTML-escaped, walking dotted paths; a missing value is empty", () => {
      const context = { endpoint: { url: "https://m/", subscriptionId: "s-1" }, name: "a&b" };
      assert.equal(renderTemplate("{{{endpoint.url}}}subscriptions/{{{ endpoint.subscriptionId }}}/x", context), "https://m/subscriptions/s-1/x");
      assert.equal(renderTemplate("{{name}}|{{{name}}}|{{{absent}}}|{{{endpoint.absent.deeper}}}", context), "a&amp;b|a&b||");
    });

    it("tells whether a token is present, and extracts a query parameter of the token's URL, as written there", () => {
      const next = { response: { nextLink: "https://m/x?api-version=1&%24skip=a%2Fb&other=1" } };
      assert.equal(renderTemplate("{{isTokenPresent response.nextLink}}", next), "true");
      assert.equal(renderTemplate("{{isTokenPresent response.nextLink}}", { response: { nextLink: null } }), "false");
      assert.equal(renderTemplate("{{isTokenPresent response.nextLink}}", { response: {} }), "false");
      const template = '{"skip": "{{#getTokenValue response.nextLink}}{{extractUrlQueryParameter %24skip}}{{/getTokenValue}}"}';
      assert.equal(renderTemplate(template, next), '{"skip": "a%2Fb"}');
      assert.equal(renderTemplate(template, { response: { nextLink: "https://m/x?$skip=7" } }), '{"skip": "7"}');
      assert.equal(renderTemplate(template, { response: {} }), '{"skip": ""}');
    });

    it("refuses what it does not know rather than guessing", () => {
      assert.throws(() => renderTemplate("{{ #extractResource id resourcegroups}}", {}), /section \{\{#extractResource\}\} is not supported|is never closed/);
      assert.throws(() => renderTemplate("{{upper name}}", {}), /helper 'upper' is not supported/);
      assert.throws(() => renderTemplate("{{#getTokenValue x}}", {}), /is never closed/);
      assert.throws(() => renderTemplate("{{/getTokenValue}}", {}), /closes no open/);
    });
  });

  describe("JSONPath", () => {
    const document = {
      value: [
        { name: "cpu", properties: { computeType: "AmlCompute", nodes: 2, ready: true } },
        { name: "aks", properties: { computeType: "Kubernetes", nodes: 3, ready: false } },
      ],
    };

    it("selects every item, a field of each, an index and a quoted name", () => {
      assert.deepEqual(selectJsonPath(document, "$.value[*]"), document.value);
      assert.deepEqual(selectJsonPath(document, "$.value[*].name"), ["cpu", "aks"]);
      assert.deepEqual(selectJsonPath(document, "$.value[1]['name']"), ["aks"]);
      assert.deepEqual(selectJsonPath(document, "$.value[5]"), []);
    });

    it("filters on equality and inequality with strings, numbers and booleans", () => {
      assert.deepEqual(selectJsonPath(document, "$.value[?(@.properties.computeType == 'AmlCompute')].name"), ["cpu"]);
      assert.deepEqual(selectJsonPath(document, '$.value[?(@.properties.computeType != "AmlCompute")].name'), ["aks"]);
      assert.deepEqual(selectJsonPath(document, "$.value[?(@.properties.nodes == 3)].name"), ["aks"]);
      assert.deepEqual(selectJsonPath(document, "$.value[?(@.properties.ready == true)].name"), ["cpu"]);
    });

    it("refuses expressions outside its subset", () => {
      assert.throws(() => selectJsonPath(document, "$..name"), /cannot read/);
      assert.throws(() => selectJsonPath(document, "$.value[?(@.properties.nodes > 2)]"), /cannot read/);
      assert.throws(() => selectJsonPath(document, "value[*]"), /does not start with \$/);
    });
  });

  describe("task inputs and paging", () => {
    it("replaces $(input) with the input's value, without case, and an input without a value with nothing", () => {
      assert.equal(
        substituteInputs("/rg/$(resourceGroup)/ws/$(WORKSPACENAME)/$(absent)", { resourceGroup: "rg-1", workspaceName: "ws-1" }),
        "/rg/rg-1/ws/ws-1/",
      );
    });

    it("follows nextLink page by page until there is none, passing the token back as written", async () => {
      const server = await TestServer.start();
      try {
        const pages: Record<string, { names: string[]; next?: string }> = {
          "": { names: ["rg-a", "rg-b"], next: "page%2F2" },
          "page/2": { names: ["rg-c"], next: "page%2F3" },
          "page/3": { names: ["rg-d"] },
        };
        server.route("GET", /^\/subscriptions\/sub-1\/resourcegroups$/, (request) => {
          const page = pages[request.url.searchParams.get("$skiptoken") ?? "missing"];
          if (!page) return { status: 400, body: { error: "unknown page" } };
          const nextLink = page.next ? `${server.origin}/subscriptions/sub-1/resourcegroups?api-version=2024-03-01&%24skiptoken=${page.next}` : undefined;
          return { status: 200, body: { value: page.names.map((name) => ({ name })), ...(nextLink ? { nextLink } : {}) } };
        });
        const fetch = fetchJson;
        const { items, urls } = await resolveBinding(
          { target: "resourceGroup", ...catalogue.resourceGroups.binding },
          { inputs: {}, endpoint: { url: `${server.origin}/`, data: { subscriptionId: "sub-1" } }, fetch },
        );
        assert.deepEqual(
          items.map((item) => item.Value),
          ["rg-a", "rg-b", "rg-c", "rg-d"],
        );
        assert.deepEqual(urls, [
          `${server.origin}/subscriptions/sub-1/resourcegroups?$skiptoken=&api-version=2024-03-01`,
          `${server.origin}/subscriptions/sub-1/resourcegroups?$skiptoken=page%2F2&api-version=2024-03-01`,
          `${server.origin}/subscriptions/sub-1/resourcegroups?$skiptoken=page%2F3&api-version=2024-03-01`,
        ]);
      } finally {
        await server.stop();
      }
    });

    it("stops a list that would page forever", async () => {
      const server = await TestServer.start();
      try {
        server.route("GET", /\/models$/, () => ({ status: 200, body: { value: [], nextLink: `${server.origin}/x/models?$skip=again` } }));
        const fetch = fetchJson;
        await assert.rejects(
          resolveBinding(
            { target: "modelName", ...catalogue.models.binding },
            { inputs: { resourceGroup: "rg", workspaceName: "ws" }, endpoint: { url: `${server.origin}/`, data: { subscriptionId: "s" } }, fetch, maxPages: 3 },
          ),
          /still asks for another page after 3/,
        );
        assert.equal(server.requests.length, 3);
      } finally {
        await server.stop();
      }
    });
  });
});
