import * as assert from "node:assert/strict";
import { defaultTokenAudience, isPublicCloudAuthority } from "../../../tasks/common/src/auth/cloudEndpoints";
import { defaultScopeFor } from "../../../tasks/common/src/auth/tokenScope";

describe("cloud endpoints", () => {
  it("knows the public clouds' Entra authorities, where instance discovery works", () => {
    for (const authority of [
      "https://login.microsoftonline.com",
      "https://login.windows.net/",
      "https://login.microsoftonline.us",
      "https://login.chinacloudapi.cn",
    ]) {
      assert.ok(isPublicCloudAuthority(authority), authority);
    }
    for (const authority of ["https://127.0.0.1:8443", "https://adfs.stack.contoso.com/adfs", "https://login.local.test"]) {
      assert.ok(!isPublicCloudAuthority(authority), authority);
    }
  });

  it("gives ARM's token audience per cloud, else the ARM URL itself", () => {
    assert.equal(defaultTokenAudience("https://management.azure.com"), "https://management.core.windows.net/");
    assert.equal(defaultTokenAudience("https://management.usgovcloudapi.net"), "https://management.core.usgovcloudapi.net/");
    assert.equal(defaultTokenAudience("https://management.local.azurestack.external"), "https://management.local.azurestack.external/");
  });

  it("appends /.default to the resource exactly as given, and leaves a scope alone", () => {
    assert.equal(defaultScopeFor("https://management.core.windows.net/"), "https://management.core.windows.net//.default");
    assert.equal(defaultScopeFor("https://management.azure.com"), "https://management.azure.com/.default");
    assert.equal(defaultScopeFor("https://management.azure.com/.default"), "https://management.azure.com/.default");
  });
});
