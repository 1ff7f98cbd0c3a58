// Azurite's own blob entry point, run in a child process whose life is tied to ours: if the
// emulator dies without stopping it, the IPC channel closes and Azurite shuts down too.
process.channel?.unref();
process.on("disconnect", () => process.kill(process.pid, "SIGTERM"));
// eslint-disable-next-line @typescript-eslint/no-require-imports -- Azurite must load after the handler above; an import would be hoisted before it.
require(require.resolve("azurite/dist/src/blob/main.js"));
