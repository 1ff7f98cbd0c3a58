import { runClient, secretCredential } from "./clientSupport";

export interface ArmGetReport {
  status: number;
  body: { properties?: { provisioningState?: string } } & Record<string, unknown>;
}

/** One ARM GET of the path given as argument, so a test can look at a resource from outside the task. */
runClient(async (connection): Promise<ArmGetReport> => {
  const path = process.argv[3];
  if (!path) throw new Error("usage: node armGet.js <connection.json> <ARM path with api-version>");
  const token = (await secretCredential(connection).getToken(connection.armScope))?.token ?? "";
  const response = await fetch(`${connection.armUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as ArmGetReport["body"]) : {} };
});
