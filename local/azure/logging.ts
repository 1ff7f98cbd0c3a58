import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

export type LogLevel = "info" | "warn" | "error";
export type Logger = (level: LogLevel, message: string) => void;

/** Appends to a file in the state folder and, when asked, echoes to the console (the CLI does). */
export function createFileLogger(path: string, echo: boolean): Logger {
  mkdirSync(dirname(path), { recursive: true });
  return (level, message) => {
    const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}`;
    appendFileSync(path, line + "\n");
    if (echo) (level === "error" ? console.error : console.log)(line);
  };
}
