import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Writes the `config.json` that the Azure ML SDKs find with `MLClient.from_config()` /
 * `Workspace.from_config()`. It names the workspace only: no key, no secret.
 */
export function writeConfigJson(file: string, workspace: { subscriptionId: string; resourceGroup: string; name: string }): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const content = { subscription_id: workspace.subscriptionId, resource_group: workspace.resourceGroup, workspace_name: workspace.name };
  fs.writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, "utf8");
}
