/**
 * Units in the order they run: each after everything it depends on, otherwise in file order
 * (the plan has already refused cycles and unknown names). Units Azure would run in parallel
 * run one after the other here, which keeps the log readable.
 */
export function dependencyOrder<T extends { name: string }>(units: T[], dependenciesOf: (unit: T) => string[]): T[] {
  const done = new Set<string>();
  const ordered: T[] = [];
  while (ordered.length < units.length) {
    const next = units.find((unit) => !done.has(unit.name) && dependenciesOf(unit).every((name) => done.has(name)));
    if (!next) throw new Error(`the dependencies of ${units.map((unit) => unit.name).join(", ")} form a cycle`);
    done.add(next.name);
    ordered.push(next);
  }
  return ordered;
}

/** Every unit `name` depends on, directly or through others. */
export function upstreamOf(name: string, dependenciesOf: (name: string) => string[]): string[] {
  const seen = new Set<string>();
  const visit = (current: string) => {
    for (const dependency of dependenciesOf(current)) {
      if (!seen.has(dependency)) {
        seen.add(dependency);
        visit(dependency);
      }
    }
  };
  visit(name);
  return [...seen];
}
