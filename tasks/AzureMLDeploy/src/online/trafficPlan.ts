/*
 * Blue/green arithmetic. An endpoint's traffic maps deployment names to whole percents that sum
 * to 0 or 100 (NOTES §7). The new deployment takes its share; the rest is split over the
 * deployments that were live before (share above 0), in proportion to what they had, by largest
 * remainder so that the shares stay whole and still sum to 100.
 */

export type Traffic = Record<string, number>;

export interface TrafficPlan {
  traffic: Traffic;
  /** Why the share differs from the one asked for, when it does. */
  note?: string;
}

function total(traffic: Traffic): number {
  return Object.values(traffic).reduce((sum, percent) => sum + percent, 0);
}

/** The traffic after `deployment` takes `share` percent of it, from the traffic before. */
export function planTraffic(before: Traffic, deployment: string, share: number): TrafficPlan {
  if (!Number.isInteger(share) || share < 0 || share > 100) throw new RangeError(`share ${share} is not a whole percent`);
  const live = Object.entries(before).filter(([name, percent]) => name !== deployment && percent > 0);
  const traffic: Traffic = {};
  for (const name of Object.keys(before)) traffic[name] = 0;
  traffic[deployment] = share;
  if (live.length === 0) {
    if (share === 0 || share === 100) return { traffic };
    // Nothing else takes traffic: a total of `share` is no total Azure accepts.
    traffic[deployment] = 100;
    return { traffic, note: `no other deployment takes traffic, so '${deployment}' takes all of it, not ${share} %` };
  }
  const rest = 100 - share;
  const liveTotal = total(Object.fromEntries(live));
  const exact = live.map(([name, percent]) => ({ name, percent, exact: (rest * percent) / liveTotal }));
  for (const entry of exact) traffic[entry.name] = Math.floor(entry.exact);
  let left = rest - exact.reduce((sum, entry) => sum + Math.floor(entry.exact), 0);
  const byRemainder = [...exact].sort(
    (a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)) || b.percent - a.percent || a.name.localeCompare(b.name),
  );
  for (const entry of byRemainder) {
    if (left === 0) break;
    traffic[entry.name] += 1;
    left -= 1;
  }
  return { traffic };
}

/** The traffic at each step, then at the final share, all computed from the traffic before. */
export function trafficSchedule(before: Traffic, deployment: string, steps: number[], share: number): TrafficPlan[] {
  return [...steps, share].map((step) => planTraffic(before, deployment, step));
}

/** Deployments that had traffic before and have none after: the ones `previousDeployments: delete` removes. */
export function retiredDeployments(before: Traffic, after: Traffic, deployment: string): string[] {
  return Object.keys(before)
    .filter((name) => name !== deployment && before[name] > 0 && (after[name] ?? 0) === 0)
    .sort();
}

export function sameTraffic(a: Traffic, b: Traffic): boolean {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names].every((name) => (a[name] ?? 0) === (b[name] ?? 0));
}

/** "blue 90 %, green 10 %"; "no traffic" when nothing is live. */
export function describeTraffic(traffic: Traffic): string {
  const live = Object.entries(traffic)
    .filter(([, percent]) => percent > 0)
    .sort(([a], [b]) => a.localeCompare(b));
  return live.length === 0 ? "no traffic" : live.map(([name, percent]) => `${name} ${percent} %`).join(", ");
}
