// Loaded by mocha (.mocharc.json "require") before any test file, so before task-lib reads the
// environment at import: the test process keeps only the host's essentials and the variables
// that steer the tests themselves. A shell that is a pipeline agent (AGENT_*, SYSTEM_*, BUILD_*,
// ENDPOINT_*, INPUT_*, SECRET_*, NAMESPACE…) or holds proxies, CA files or Azure SDK variables
// changes nothing; each test then sets what it needs (processEnvironment.ts, mockTaskRun.ts).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hostEnvironment } from "../../local/runner/agentEnvironment";
import { isTestControl } from "./processEnvironment";

const kept: Record<string, string> = hostEnvironment();
for (const [name, value] of Object.entries(process.env)) {
  if (value !== undefined && isTestControl(name)) kept[name] = value;
}
for (const name of Object.keys(process.env)) delete process.env[name];
Object.assign(process.env, kept);

// task-lib keeps a vault key file in Agent.TempDirectory, else in the working directory: give it
// a folder of this run's own rather than the repository.
const agentTemp = mkdtempSync(join(tmpdir(), "test-agent-temp-"));
process.env.AGENT_TEMPDIRECTORY = agentTemp;
process.once("exit", () => rmSync(agentTemp, { recursive: true, force: true }));
