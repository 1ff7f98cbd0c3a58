import { ModelVersionInfo } from "./modelVersions";

/*
 * Every version registered behind a gate carries the value it was judged on, so that the next
 * run compares with what was measured then, without reading the old job again (it may be gone):
 *   property `metric.<name>` = value   — immutable, the record of the measurement
 *   tag      `metric.<name>` = value   — mutable and shown in the studio's list; people also set
 *                                        it by hand on a version registered outside the pipeline
 * Reading, the property wins over the tag: only a person can have changed the tag since.
 */

export function recordedMetricKey(metric: string): string {
  return `metric.${metric}`;
}

/** The tag and property to write on a version registered with this metric value. */
export function recordedMetricEntries(metric: string, value: number): { tags: Record<string, string>; properties: Record<string, string> } {
  const key = recordedMetricKey(metric);
  const text = String(value);
  return { tags: { [key]: text }, properties: { [key]: text } };
}

export type RecordedMetric = { found: true; value: number; from: "property" | "tag"; note?: string } | { found: false; why: string };

// A decimal number as JavaScript and Python print one; `Number()` alone would also take `0x10` or `""`.
const decimalNumber = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function parseRecorded(text: string | undefined): number | undefined {
  if (text === undefined || !decimalNumber.test(text.trim())) return undefined;
  const value = Number(text.trim());
  return Number.isFinite(value) ? value : undefined;
}

/** The value recorded on a version for this metric, or why there is none to compare with. */
export function recordedMetric(version: ModelVersionInfo, metric: string): RecordedMetric {
  const key = recordedMetricKey(metric);
  const property = own(version.properties, key);
  const tag = own(version.tags, key);
  const fromProperty = parseRecorded(property);
  const fromTag = parseRecorded(tag);
  if (fromProperty !== undefined) {
    const note =
      fromTag !== undefined && fromTag !== fromProperty
        ? `its tag '${key}' says ${fromTag}, but the property recorded at registration, ${fromProperty}, is used`
        : undefined;
    return note ? { found: true, value: fromProperty, from: "property", note } : { found: true, value: fromProperty, from: "property" };
  }
  if (fromTag !== undefined) return { found: true, value: fromTag, from: "tag" };
  if (property !== undefined || tag !== undefined) {
    return { found: false, why: `its '${key}' is not a number` };
  }
  return { found: false, why: `it carries no '${key}' property or tag` };
}

function own(record: Record<string, string>, key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
