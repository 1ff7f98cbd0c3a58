/**
 * A mistake in what the user gave the task: inputs, variables, files. Its message is the one
 * sentence the task fails with, so it must name the input and say what is wrong.
 */
export class InputError extends Error {
  override readonly name = "InputError";
}
