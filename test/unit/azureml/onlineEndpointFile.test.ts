import * as assert from "node:assert/strict";
import * as path from "node:path";
import { readOnlineEndpointFile } from "../../../tasks/common/src/azureml/onlineEndpointFile";
import { InputError } from "../../../tasks/common/src/errors/inputError";
import { exampleFile, YamlFolder } from "./yamlFixtures";

describe("readOnlineEndpointFile", () => {
  let folder: YamlFolder;
  beforeEach(() => (folder = new YamlFolder()));
  afterEach(() => folder.remove());

  function write(text: string): string {
    return folder.write("endpoints/endpoint.yml", text);
  }

  function refusal(text: string): string {
    const file = write(text);
    try {
      readOnlineEndpointFile(file, "endpointFile");
    } catch (error) {
      assert.ok(error instanceof InputError);
      assert.ok(!error.message.includes("\n"), error.message);
      return error.message;
    }
    assert.fail("accepted");
  }

  describe("Microsoft's samples, unchanged", () => {
    it("reads the managed sample endpoint with the documented defaults", () => {
      const file = exampleFile("cli/endpoints/online/managed/sample/endpoint.yml");
      assert.deepEqual(readOnlineEndpointFile(file, "endpointFile"), {
        file,
        folder: path.dirname(file),
        kind: "managed",
        name: "my-endpoint",
        description: undefined,
        tags: {},
        properties: {},
        authMode: "key",
        compute: undefined,
        identity: undefined,
        traffic: undefined,
        mirrorTraffic: undefined,
        publicNetworkAccess: "enabled",
      });
    });

    it("reads the Kubernetes sample endpoint: a compute makes it Kubernetes, 'Key' reads as key", () => {
      const file = exampleFile("cli/endpoints/online/kubernetes/kubernetes-endpoint.yml");
      const endpoint = readOnlineEndpointFile(file, "endpointFile");
      assert.equal(endpoint.kind, "kubernetes");
      assert.equal(endpoint.authMode, "key");
      assert.deepEqual(endpoint.compute, { kind: "resource", text: "azureml:inferencecompute", name: "inferencecompute" });
      assert.deepEqual(endpoint.tags, { tag1: "endpoint-tag1-value" });
      assert.equal(endpoint.publicNetworkAccess, undefined);
    });
  });

  it("reads every field of a managed endpoint", () => {
    const endpoint = readOnlineEndpointFile(
      write(
        "name: scoring-1\ndescription: d\ntags: {team: ml}\nauth_mode: aml_token\nidentity:\n  type: user_assigned\n  user_assigned_identities:\n    - /subscriptions/s/resourceGroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/a\n    - resource_id: /subscriptions/s/resourceGroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/b\ntraffic: {blue: 90, green: 10}\nmirror_traffic: {canary: 20}\npublic_network_access: disabled\n",
      ),
      "endpointFile",
    );
    assert.equal(endpoint.authMode, "aml_token");
    assert.deepEqual(endpoint.identity, {
      type: "user_assigned",
      userAssignedIdentities: [
        "/subscriptions/s/resourceGroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/a",
        "/subscriptions/s/resourceGroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/b",
      ],
    });
    assert.deepEqual(endpoint.traffic, { blue: 90, green: 10 });
    assert.deepEqual(endpoint.mirrorTraffic, { canary: 20 });
    assert.equal(endpoint.publicNetworkAccess, "disabled");
    assert.deepEqual(endpoint.tags, { team: "ml" });
  });

  it("reads auth modes the way az ml's camel_to_snake does", () => {
    assert.equal(readOnlineEndpointFile(write("name: abc\nauth_mode: AMLToken\n"), "e").authMode, "aml_token");
    assert.equal(readOnlineEndpointFile(write("name: abc\nauth_mode: AADToken\n"), "e").authMode, "aad_token");
    assert.match(
      refusal("name: abc\nauth_mode: keys\n"),
      /endpoint\.yml:2: field 'auth_mode' is 'keys', which is not one of 'key', 'aml_token', 'aad_token'; did you mean 'key'\?/,
    );
  });

  it("refuses a misspelled field with its line and a suggestion", () => {
    assert.match(
      refusal("name: abc\n\nauth_mod: key\n"),
      /^Input 'endpointFile': .*endpoint\.yml:3: field 'auth_mod' is not a field of an online endpoint; did you mean 'auth_mode'\?$/,
    );
    assert.match(refusal("name: abc\nidentity:\n  typ: system_assigned\n"), /endpoint\.yml:3: field 'identity\.typ' .*did you mean 'type'\?/);
  });

  it("refuses a missing or invalid name", () => {
    assert.match(refusal("auth_mode: key\n"), /an online endpoint needs the field 'name'/);
    assert.match(refusal("name: 1abc\n"), /endpoint\.yml:1: field 'name' is not a valid endpoint name/);
    assert.match(refusal("name: ab\n"), /is not a valid endpoint name/);
    assert.match(refusal(`name: a${"b".repeat(32)}\n`), /is not a valid endpoint name/);
  });

  it("refuses wrong types", () => {
    assert.match(refusal("name: abc\ntags: [a]\n"), /field 'tags' is a list; it must be a mapping/);
    assert.match(refusal("name: abc\ntraffic: {blue: '100'}\n"), /endpoint\.yml:2: field 'traffic\.blue' is text; it must be a whole number/);
    assert.match(refusal("name: abc\nauth_mode: 1\n"), /field 'auth_mode' is a whole number; it must be text/);
  });

  describe("traffic (NOTES §7)", () => {
    it("accepts a total of 0 or 100", () => {
      assert.deepEqual(readOnlineEndpointFile(write("name: abc\ntraffic: {blue: 0, green: 0}\n"), "e").traffic, { blue: 0, green: 0 });
      assert.deepEqual(readOnlineEndpointFile(write("name: abc\ntraffic: {blue: 100}\n"), "e").traffic, { blue: 100 });
    });

    it("refuses any other total, a negative or a fractional percentage", () => {
      assert.match(
        refusal("name: abc\ntraffic:\n  blue: 90\n  green: 20\n"),
        /endpoint\.yml:2: field 'traffic' adds up to 110 percent; the total must be 0 or 100\./,
      );
      assert.match(refusal("name: abc\ntraffic: {blue: 50}\n"), /adds up to 50 percent/);
      assert.match(refusal("name: abc\ntraffic: {blue: -10, green: 110}\n"), /field 'traffic\.blue' must be 0 or more/);
      assert.match(refusal("name: abc\ntraffic: {blue: 99.5, green: 0.5}\n"), /field 'traffic\.blue' is a number; it must be a whole number/);
    });

    it("mirrors to one deployment, at most 50 %, never one with live traffic, never on Kubernetes", () => {
      assert.match(refusal("name: abc\nmirror_traffic: {green: 60}\n"), /field 'mirror_traffic\.green' is 60; it must be at most 50/);
      assert.match(refusal("name: abc\nmirror_traffic: {green: 10, red: 10}\n"), /names 2 deployments; traffic can be mirrored to one deployment only/);
      assert.match(
        refusal("name: abc\ntraffic: {blue: 50, green: 50}\nmirror_traffic: {green: 10}\n"),
        /mirrors traffic to 'green', which also takes live traffic/,
      );
      assert.match(
        refusal("name: abc\ncompute: azureml:k8s\nmirror_traffic: {green: 10}\n"),
        /endpoint\.yml:3: field 'mirror_traffic' is not supported on Kubernetes endpoints/,
      );
      assert.deepEqual(readOnlineEndpointFile(write("name: abc\ntraffic: {blue: 100}\nmirror_traffic: {green: 0}\n"), "e").mirrorTraffic, { green: 0 });
    });
  });

  it("refuses public_network_access on a Kubernetes endpoint and unknown values", () => {
    assert.match(
      refusal("name: abc\ncompute: azureml:k8s\npublic_network_access: disabled\n"),
      /field 'public_network_access' applies to managed endpoints only/,
    );
    assert.match(refusal("name: abc\npublic_network_access: off\n"), /field 'public_network_access' is 'off', which is not one of 'enabled', 'disabled'/);
  });

  it("reads user-assigned identities written as a mapping keyed by id, and both identity types together", () => {
    const endpoint = readOnlineEndpointFile(
      write(
        "name: abc\nidentity:\n  type: system_assigned,user_assigned\n  user_assigned_identities:\n    /subscriptions/s/id/a: {}\n    /subscriptions/s/id/b:\n",
      ),
      "e",
    );
    assert.deepEqual(endpoint.identity, { type: "system_assigned,user_assigned", userAssignedIdentities: ["/subscriptions/s/id/a", "/subscriptions/s/id/b"] });
  });

  it("reads public_network_access in any casing, as azure-ai-ml lower-cases it", () => {
    assert.equal(readOnlineEndpointFile(write("name: abc\npublic_network_access: Disabled\n"), "e").publicNetworkAccess, "disabled");
  });

  it("refuses an identity whose list does not match its type", () => {
    assert.match(refusal("name: abc\nidentity: {type: user_assigned}\n"), /needs 'user_assigned_identities'/);
    assert.match(
      refusal("name: abc\nidentity: {type: system_assigned, user_assigned_identities: [x]}\n"),
      /field 'identity\.user_assigned_identities' goes only with a user-assigned identity type, not 'system_assigned'/,
    );
    assert.deepEqual(readOnlineEndpointFile(write("name: abc\nidentity: {type: SystemAssigned}\n"), "e").identity, {
      type: "system_assigned",
      userAssignedIdentities: [],
    });
  });
});
