import * as assert from "node:assert/strict";
import { nameRules, NamedResourceKind } from "../../../tasks/common/src/naming/azureNameRules";

const examples: Record<NamedResourceKind, { valid: string[]; invalid: string[] }> = {
  storageAccount: { valid: ["sam", "samlopsdev01", "a".repeat(24)], invalid: ["sa", "a".repeat(25), "saMLops", "sa-dev", "sa_dev", ""] },
  keyVault: { valid: ["kv1", "kv-mlops-dev", "KvDev01", "k" + "v".repeat(23)], invalid: ["kv", "1kv", "kv--dev", "kv-", "kv_dev", "k".repeat(25)] },
  containerRegistry: { valid: ["crdev", "CrMlops01", "c".repeat(50)], invalid: ["crdv", "cr-dev", "cr_dev", "c".repeat(51)] },
  workspace: { valid: ["aml", "aml-dev_01", "1aml", "a".repeat(33)], invalid: ["am", "-aml", "_aml", "aml.dev", "a".repeat(34)] },
  applicationInsights: { valid: ["ai", "ai dev (1)"], invalid: ["", "ai/dev", "ai%", "ai.", "ai "] },
  logAnalyticsWorkspace: { valid: ["la01", "la-mlops-dev"], invalid: ["la1", "-la01", "la01-", "la_01", "l".repeat(64)] },
  resourceGroup: { valid: ["rg", "rg-mlops_dev.(1)", "ré-groupe"], invalid: ["", "rg.", "rg/dev", "r".repeat(91)] },
  computeCluster: { valid: ["cpu", "cpu-cluster", "c1"], invalid: ["c", "1cpu", "cpu-", "cpu_cluster", "c".repeat(17)] },
  location: { valid: ["westeurope", "eastus2"], invalid: ["West Europe", "west-europe", ""] },
};

describe("Azure naming rules", () => {
  for (const [kind, { valid, invalid }] of Object.entries(examples) as Array<[NamedResourceKind, { valid: string[]; invalid: string[] }]>) {
    it(`${nameRules[kind].resource}: accepts what Azure accepts and refuses the rest`, () => {
      for (const name of valid) assert.ok(nameRules[kind].test(name), `'${name}' should be valid`);
      for (const name of invalid) assert.ok(!nameRules[kind].test(name), `'${name}' should be invalid`);
    });
  }
});
