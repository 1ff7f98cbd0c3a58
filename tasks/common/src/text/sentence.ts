import { InputError } from "../errors/inputError";

/** A sentence that starts with a value's source ("input 'goal'") starts with a capital. */
export function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The agent runs a logging command found anywhere in a line of output, not only at its start,
 * so a sentence quoting a metrics file's keys, a job's output names or a model's versions must
 * not hold `##vso[`. It is shown as `#\#vso[`: still readable, no longer a command.
 */
export function logSafe(sentence: string): string {
  return sentence.replace(/##(vso\[)/gi, "#\\#$1");
}

/** An InputError whose sentence is safe to print. */
export function inputError(sentence: string): InputError {
  return new InputError(logSafe(sentence));
}
