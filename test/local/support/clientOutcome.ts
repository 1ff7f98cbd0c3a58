/** What a client saw: a value, or an error with what Azure's error carried. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; statusCode?: number; code?: string; message: string; name: string };

interface ErrorWithStatus {
  statusCode?: unknown;
  code?: unknown;
  message: string;
  name: string;
}

export async function outcome<T>(action: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await action() };
  } catch (error) {
    if (!(error instanceof Error)) return { ok: false, message: String(error), name: "unknown" };
    const detailed = error as Error & ErrorWithStatus;
    return {
      ok: false,
      statusCode: typeof detailed.statusCode === "number" ? detailed.statusCode : undefined,
      code: typeof detailed.code === "string" ? detailed.code : undefined,
      message: error.message,
      name: error.name,
    };
  }
}
