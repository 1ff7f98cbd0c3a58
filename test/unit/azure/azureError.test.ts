import * as assert from "node:assert/strict";
import { describeAzureError, describing, isNotFound } from "../../../tasks/common/src/errors/azureError";

describe("Azure errors in one sentence", () => {
  it("names the action, the Azure code, the status and the service's message", () => {
    const error = Object.assign(
      new Error("The client 'x' does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourcegroups/write'."),
      {
        name: "RestError",
        code: "AuthorizationFailed",
        statusCode: 403,
      },
    );
    assert.equal(
      describeAzureError("Creating resource group 'rg'", error),
      "Creating resource group 'rg' failed (AuthorizationFailed, HTTP 403): The client 'x' does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourcegroups/write'.",
    );
  });

  it("keeps an authentication failure's first lines, not its troubleshooting text", () => {
    const error = Object.assign(
      new Error(
        "ClientSecretCredential authentication failed: AADSTS7000215: Invalid client secret provided.\n\nTroubleshooting guide: https://aka.ms/x\nmore\nmore",
      ),
      {
        name: "AuthenticationError",
      },
    );
    const text = describeAzureError("Reading workspace 'w'", error);
    assert.match(text, /^Reading workspace 'w' failed: authentication failed: ClientSecretCredential authentication failed: AADSTS7000215/);
    assert.doesNotMatch(text, /more/);
  });

  it("says what MSAL's network_error means", () => {
    const error = Object.assign(new Error("network_error: See https://aka.ms/msal.js.errors#network_error for details"), {
      name: "AuthenticationRequiredError",
    });
    assert.equal(
      describeAzureError("Reading workspace 'w'", error),
      "Reading workspace 'w' failed: authentication failed: the sign-in authority could not be reached (network_error)",
    );
  });

  it("recognises not-found answers and wraps failures once", async () => {
    assert.ok(isNotFound({ statusCode: 404 }));
    assert.ok(!isNotFound({ statusCode: 403 }));
    await assert.rejects(
      describing("Outer", () => describing("Inner", () => Promise.reject(Object.assign(new Error("boom"), { statusCode: 500 })))),
      { message: "Inner failed (HTTP 500): boom" },
    );
  });
});
