import { MockTestRunner } from "azure-pipelines-task-lib/mock-test";
import { withEnvironment } from "./processEnvironment";

/**
 * Runs a task test script (a TaskMockRunner file, compiled) with MockTestRunner in a child
 * process whose environment is the host's essentials and `environment`, nothing of the caller's:
 * MockTestRunner hands the child this process's environment, so it is replaced for the run and
 * put back after it.
 */
export async function runMockTask(scriptPath: string, environment: Record<string, string>): Promise<MockTestRunner> {
  const restore = withEnvironment(environment);
  try {
    const runner = new MockTestRunner(scriptPath);
    runner.nodePath = process.execPath; // offline: never let MockTestRunner download Node.js
    await runner.runAsync();
    return runner;
  } finally {
    restore();
  }
}
