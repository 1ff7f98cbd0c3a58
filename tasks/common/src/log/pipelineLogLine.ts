/**
 * A line of a service's own log (a job's output, a deployment's container log), as it will show
 * in the pipeline log: a line that would read as a logging command (`##vso[…]`, `##[…]`) gets a
 * zero-width space after its `##`, so that the service's output cannot set the pipeline's
 * variables or results, and otherwise reads the same.
 */
export function pipelineLogLine(text: string): string {
  return text.replace(/##(?=vso\[|\[)/gi, "#\u200B#");
}
