/** A sentence that starts with a value's source ("input 'goal'") starts with a capital. */
export function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
