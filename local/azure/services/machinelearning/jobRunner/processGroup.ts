import * as fs from "node:fs";

/** The live (not zombie) members of process group `pgid`, from /proc; empty where there is no /proc. */
export function liveGroupMembers(pgid: number): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return [];
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone while we looked
    }
    // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so read after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] !== "Z" && Number(fields[2]) === pgid) members.push(Number(entry));
  }
  return members;
}

/**
 * Waits until no live process is left in the group, at most `limitMs`. A process killed with
 * SIGKILL closes its files (so its pipes end) a moment before the kernel lets it go: without
 * this wait a job could be reported ended while a process of its was still on its way out.
 */
export async function groupEnded(pgid: number, limitMs = 2000): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    if (liveGroupMembers(pgid).length === 0) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
