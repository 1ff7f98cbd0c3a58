/*
 * Macro syntax `$(name)`: replaced by the variable's value just before a step runs, in its
 * inputs, script, env and display name; an unknown name stays as written, and a value that
 * itself holds `$(…)` is not scanned again.
 * https://learn.microsoft.com/azure/devops/pipelines/process/variables#macro-syntax-variables
 */

const macro = /\$\(([A-Za-z0-9_.\- ]+)\)/g;

export type VariableLookup = (name: string) => string | undefined;

export function expandMacros(text: string, lookup: VariableLookup): string {
  return text.replace(macro, (whole, name: string) => lookup(name.trim()) ?? whole);
}
