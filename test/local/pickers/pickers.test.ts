import * as assert from "node:assert/strict";
import type { MlWorkspaceBed } from "../../e2e/mlWorkspaceBed";
import { processGroupsWorkingUnder } from "../support/scoringRequest";
import { readTaskJson, taskFolders } from "../../unit/packaging/project";
import { armFetch } from "./armFetch";
import { catalogue, entryOf, type PickerWorld } from "./bindingCatalogue";
import { provisionPickerWorld } from "./pickerWorld";
import { type PickerEndpoint, type PickerFetch, resolveBinding } from "./resolveBinding";

// The classic editor's pick lists, each resolved as the server resolves it (./resolveBinding.ts)
// and called on a local Azure with the AzureRM connection's own token: the names that come back
// are the ones the test provisioned, and every call passes the swagger check.

describe("pick lists of the classic editor (dataSourceBindings) on the local Azure", function () {
  this.timeout(600_000);
  let bed: MlWorkspaceBed | undefined;
  let world: PickerWorld;
  let fetch: PickerFetch;
  let endpoint: PickerEndpoint;

  before(async () => {
    const provisioned = await provisionPickerWorld();
    bed = provisioned.bed;
    world = provisioned.world;
    fetch = armFetch(bed.azure.connection, provisioned.token);
    // The server holds an AzureRM connection's URL with its trailing slash (https://management.azure.com/).
    endpoint = { url: `${bed.azure.connection.armUrl.replace(/\/$/, "")}/`, data: { subscriptionId: bed.azure.connection.subscriptionId } };
  });
  after(async () => {
    if (!bed) return;
    const stateDir = bed.stateDir;
    await bed.stop();
    assert.deepEqual(processGroupsWorkingUnder(stateDir), [], "a deployment's process outlived the local Azure");
  });

  describe("every binding of every task.json is one of the catalogue's, exactly", () => {
    for (const task of taskFolders()) {
      for (const binding of readTaskJson(task).dataSourceBindings ?? []) {
        it(`${task}: ${binding.target}`, () => {
          assert.ok(
            entryOf(binding),
            `${task}'s binding for '${binding.target}' is not in test/local/pickers/bindingCatalogue.ts: add it there with what it must list`,
          );
        });
      }
    }
  });

  describe("each list, with the inputs it depends on", () => {
    it("no list is pending: each says what it must show", () => {
      assert.deepEqual(
        Object.entries(catalogue)
          .filter(([, entry]) => typeof entry.expected !== "function")
          .map(([key]) => key),
        [],
      );
    });

    for (const [key, entry] of Object.entries(catalogue)) {
      it(`${key}: ${entry.name}`, async () => {
        const { items, urls } = await resolveBinding({ target: key, ...entry.binding }, { inputs: entry.inputs(world), endpoint, fetch });
        assert.deepEqual(items.map((item) => item.Value).sort(), entry.expected(world).sort(), urls.join("\n"));
        for (const item of items) assert.ok(item.DisplayValue.trim(), `${item.Value} has a display value`);
        assert.ok(
          urls.every((url) => url.startsWith(endpoint.url) && !/\{\{|\$\(/.test(url)),
          `every template resolved: ${urls.join(", ")}`,
        );
      });
    }

    it("the workspace list follows the resource group it depends on", async () => {
      const { items } = await resolveBinding(
        { target: "workspaceName", ...catalogue.workspaces.binding },
        { inputs: { resourceGroup: world.otherResourceGroup }, endpoint, fetch },
      );
      assert.deepEqual(
        items.map((item) => item.Value),
        [world.otherWorkspaceName],
      );
    });

    it("the online endpoint list follows the workspace it depends on", async () => {
      const { items } = await resolveBinding(
        { target: "endpointName", ...catalogue.onlineEndpoints.binding },
        { inputs: { resourceGroup: world.otherResourceGroup, workspaceName: world.otherWorkspaceName }, endpoint, fetch },
      );
      assert.deepEqual(
        items.map((item) => item.Value),
        [world.otherOnlineEndpointName],
      );
    });

    it("the deployment list follows the endpoint it depends on", async () => {
      const [deployed, idle] = Object.entries(world.onlineEndpoints);
      assert.ok(deployed[1].length > 0 && idle[1].length === 0, "the world has an endpoint with deployments and one without");
      const { items } = await resolveBinding(
        { target: "deploymentName", ...catalogue.onlineDeployments.binding },
        { inputs: { resourceGroup: world.resourceGroup, workspaceName: world.workspaceName, endpointName: idle[0] }, endpoint, fetch },
      );
      assert.deepEqual(items, []);
    });

    it("a list whose resource group does not exist is an error the editor shows, not a list", async () => {
      await assert.rejects(
        resolveBinding({ target: "workspaceName", ...catalogue.workspaces.binding }, { inputs: { resourceGroup: "rg-absent" }, endpoint, fetch }),
        /answered 404/,
      );
    });
  });

  describe("afterwards", () => {
    it("every call the lists made validated against the swaggers: no violation, nothing unmatched", () => {
      const azure = bed?.azure;
      assert.ok(azure);
      const counts = azure.validationCounts();
      assert.deepEqual(azure.violations(), []);
      assert.equal(counts.unmatched, 0);
      assert.equal(counts.refused, 0, "requests the swagger refuses");
      assert.ok(counts.validated > 0);
    });
  });
});
