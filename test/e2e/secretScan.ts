import * as fs from "node:fs";
import * as path from "node:path";
import { parseLoggingCommand } from "../../local/runner/loggingCommands";

/** A JWT: id tokens, access tokens, signed client assertions. */
export const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/;

// Shorter spellings would match ordinary text by chance and prove nothing.
const SHORTEST_SPELLING = 8;

/** The ways a secret can be written in a log line: as is, URL- or form-encoded, JSON-escaped, base64. */
export function spellingsOf(secret: string): string[] {
  const forms = [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ v: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
    Buffer.from(secret, "utf8").toString("base64"),
    Buffer.from(secret, "utf8").toString("base64url"),
  ];
  return [...new Set(forms)].filter((form) => form.length >= SHORTEST_SPELLING);
}

/** The lines of a private key in a PEM file: each is a secret on its own in a line-by-line log. */
export function privateKeyLines(pem: string): string[] {
  const block = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----([\s\S]*?)-----END [A-Z0-9 ]*PRIVATE KEY-----/.exec(pem)?.[1] ?? "";
  return block
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length >= SHORTEST_SPELLING);
}

/**
 * A preload that copies everything the task process writes to stdout and stderr, in order, to the
 * file named by PROBE_RAW_OUTPUT_FILE: the raw output, before anyone masks it.
 */
export function writeOutputTee(directory: string): string {
  const file = path.join(directory, "rawOutputTee.cjs");
  fs.writeFileSync(
    file,
    `"use strict";
const fs = require("node:fs");
const target = process.env.PROBE_RAW_OUTPUT_FILE;
delete process.env.PROBE_RAW_OUTPUT_FILE;
if (target) {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = (chunk, ...rest) => {
      fs.appendFileSync(target, typeof chunk === "string" ? chunk : Buffer.from(chunk));
      return write(chunk, ...rest);
    };
  }
}
`,
  );
  return file;
}

/** One line of the job log as the agent would show it, with the raw line it came from. */
export interface ShownLine {
  raw: string;
  shown: string;
}

/**
 * The task's raw output as the agent would show it: logging commands turned into their text,
 * and each line masked with what the agent knows at that moment — its own secrets (endpoint
 * authorization parameters, secret variables) and what the task registered with setsecret or a
 * secret setvariable in the lines before. Only whole values are masked, as the agent masks them
 * (it also masks some encodings of them; leaving those out makes the check stricter).
 */
export function asTheAgentShowsIt(rawOutput: string, knownToAgent: readonly string[]): ShownLine[] {
  const masked = new Set(knownToAgent.filter((value) => value !== ""));
  const shown: ShownLine[] = [];
  for (const raw of rawOutput.split(/\r?\n/)) {
    if (raw.trim() === "") continue;
    const command = parseLoggingCommand(raw);
    if (command?.name === "task.setsecret" || (command?.name === "task.setvariable" && command.properties.issecret === "true")) {
      if (command.data) masked.add(command.data);
      continue;
    }
    const text = command ? `##[${command.name}] ${Object.values(command.properties).join(" ")} ${command.data}` : raw;
    const ordered = [...masked].sort((a, b) => b.length - a.length);
    shown.push({ raw, shown: ordered.reduce((line, secret) => line.split(secret).join("***"), text) });
  }
  return shown;
}

/** Each shown line that holds a JWT or a spelling of a known secret, with what it holds. */
export function leaks(lines: readonly ShownLine[], secrets: readonly string[]): string[] {
  const spellings = [...new Set(secrets.filter((secret) => secret !== "").flatMap(spellingsOf))];
  const found: string[] = [];
  for (const { shown } of lines) {
    const jwt = JWT_SHAPE.exec(shown);
    if (jwt) found.push(`a JWT (${jwt[0].slice(0, 16)}…) in: ${shown}`);
    for (const spelling of spellings) {
      if (shown.includes(spelling)) found.push(`'${spelling.slice(0, 6)}…' in: ${shown}`);
    }
  }
  return found;
}

/** The values the task registered with the agent, in order. */
export function registeredBy(rawOutput: string): string[] {
  return rawOutput
    .split(/\r?\n/)
    .map((line) => parseLoggingCommand(line))
    .filter((command) => command?.name === "task.setsecret")
    .map((command) => command?.data ?? "");
}
