// Preloaded into a measured process (NODE_OPTIONS=--require): writes its peak resident memory,
// in KiB, to the file named by BENCH_PEAK_MEMORY_FILE when it exits.
const { writeFileSync } = require("node:fs");
const file = process.env.BENCH_PEAK_MEMORY_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
