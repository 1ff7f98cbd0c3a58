import { failTask } from "./failTask";

/**
 * Runs a task's main function so that every way it can fail ends alike: one sentence, scrubbed
 * of secrets. Node would print an uncaught exception or an unhandled rejection raw, stack and
 * whatever a service echoed into the message, so those end through failTask too.
 */
export function runTask(main: () => Promise<void>): void {
  const failAndExit = (error: unknown): void => {
    failTask(error);
    // The task's state is unknown after an escaped error: stop rather than carry on.
    process.exit(1);
  };
  // task-lib installs its own handlers when loaded, which print the raw message and stack.
  process.removeAllListeners("uncaughtException");
  process.removeAllListeners("unhandledRejection");
  process.on("uncaughtException", failAndExit);
  process.on("unhandledRejection", failAndExit);
  main().catch(failTask);
}
