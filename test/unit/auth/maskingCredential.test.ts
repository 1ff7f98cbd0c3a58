import type { AccessToken, TokenCredential } from "@azure/identity";
import * as assert from "node:assert/strict";
import { MaskingCredential } from "../../../tasks/common/src/auth/maskingCredential";
import { captureTaskLibOutput, maskedValues } from "../../support/taskLibEnvironment";

/** A credential that hands out the given tokens in turn. */
function scriptedCredential(tokens: Array<string | null>): TokenCredential {
  let next = 0;
  return {
    getToken: (): Promise<AccessToken | null> => {
      const token = tokens[next++] ?? null;
      return Promise.resolve(token === null ? null : { token, expiresOnTimestamp: Date.now() + 3_600_000 });
    },
  };
}

describe("MaskingCredential", () => {
  it("registers each access token with the agent before the caller receives it, once per distinct token", async () => {
    const credential = new MaskingCredential(scriptedCredential(["tok-a-1f9c", "tok-a-1f9c", "tok-b-77e2"]));
    const maskedPerCall: string[][] = [];
    const received: Array<string | undefined> = [];

    for (let call = 0; call < 3; call++) {
      // The capture ends when getToken resolves: what it holds was written before the caller had the token.
      const { result, output } = await captureTaskLibOutput(() => credential.getToken("https://management.core.windows.net//.default"));
      received.push(result?.token);
      maskedPerCall.push(maskedValues(output));
    }

    assert.deepEqual(received, ["tok-a-1f9c", "tok-a-1f9c", "tok-b-77e2"]);
    assert.deepEqual(maskedPerCall, [["tok-a-1f9c"], [], ["tok-b-77e2"]]);
  });

  it("masks the URL-encoded spelling of a token that has one", async () => {
    const credential = new MaskingCredential(scriptedCredential(["tok/c+9d="]));
    const { output } = await captureTaskLibOutput(() => credential.getToken("scope"));
    assert.deepEqual(maskedValues(output), ["tok/c+9d=", "tok%2Fc%2B9d%3D"]);
  });

  it("passes on a null token and a failure as they are", async () => {
    const credential = new MaskingCredential(scriptedCredential([null]));
    const { result, output } = await captureTaskLibOutput(() => credential.getToken("scope"));
    assert.equal(result, null);
    assert.deepEqual(maskedValues(output), []);
    const failing = new MaskingCredential({ getToken: () => Promise.reject(new Error("no token")) });
    await assert.rejects(failing.getToken("scope"), { message: "no token" });
  });
});
