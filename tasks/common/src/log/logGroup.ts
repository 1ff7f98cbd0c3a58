/** Runs `work` inside a collapsible log group (`##[group]`), closing it whatever happens. */
export async function inLogGroup<T>(title: string, work: () => Promise<T>): Promise<T> {
  console.log(`##[group]${title}`);
  try {
    return await work();
  } finally {
    console.log("##[endgroup]");
  }
}

/** The first line a task prints once its settings are read: a section header in the log. */
export function logSection(text: string): void {
  console.log(`##[section]${text}`);
}
