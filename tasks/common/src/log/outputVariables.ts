import * as tl from "azure-pipelines-task-lib/task";

/** Sets output variables for later steps (`$(step.name)`) and stages (`dependencies…outputs`). */
export function setOutputs(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) tl.setVariable(name, value, false, true);
  }
}
