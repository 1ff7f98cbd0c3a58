import { ChampionTag } from "./gateSettings";
import { ModelVersionInfo } from "./modelVersions";

/** The version the candidate must beat, and how it was chosen. */
export interface Champion {
  version: ModelVersionInfo;
  /** "the newest version" or "the newest version carrying tag 'champion=true'". */
  chosenAs: string;
  /** Sentences worth a line in the log, e.g. that several versions carry the tag. */
  notices: string[];
}

export type ChampionChoice = { champion: Champion } | { champion?: undefined; why: string };

function describeTag(tag: ChampionTag): string {
  return tag.value === undefined ? `tag '${tag.name}'` : `tag '${tag.name}=${tag.value}'`;
}

function carries(version: ModelVersionInfo, tag: ChampionTag): boolean {
  if (!Object.prototype.hasOwnProperty.call(version.tags, tag.name)) return false;
  return tag.value === undefined || version.tags[tag.name] === tag.value;
}

/** Integer versions compare as numbers (`10` after `9`); others, or a mix, as text. */
function compareVersionNames(a: string, b: string): number {
  const numeric = /^\d+$/;
  if (numeric.test(a) && numeric.test(b)) {
    const difference = BigInt(a) - BigInt(b);
    return difference === 0n ? 0 : difference > 0n ? 1 : -1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Newest first, the order of `@latest` ("newest-created version"): by creation time; a version
 * without one counts as older than every dated one; ties broken by the version name.
 */
export function newestFirst(versions: ModelVersionInfo[]): ModelVersionInfo[] {
  const time = (v: ModelVersionInfo) => (v.createdAt && !Number.isNaN(v.createdAt.getTime()) ? v.createdAt.getTime() : -Infinity);
  return [...versions].sort((a, b) => {
    const byTime = time(b) - time(a);
    if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
    return compareVersionNames(b.version, a.version);
  });
}

/**
 * The champion among a model's existing versions: archived ones left out, the newest of the rest,
 * or with a tag the newest of those carrying it. None: the first model, or none tagged yet.
 */
export function pickChampion(versions: ModelVersionInfo[], tag: ChampionTag | undefined): ChampionChoice {
  const live = newestFirst(versions.filter((v) => !v.isArchived));
  const archived = versions.length - live.length;
  const archivedNote = archived > 0 ? ` (${archived} archived version${archived === 1 ? "" : "s"} left out)` : "";
  if (!tag) {
    if (live.length === 0) return { why: `the model has no version yet${archivedNote}` };
    return { champion: { version: live[0], chosenAs: "the newest version", notices: [] } };
  }
  const tagged = live.filter((v) => carries(v, tag));
  if (tagged.length === 0) {
    const existing =
      live.length === 0 ? "the model has no version yet" : `none of its ${live.length} version${live.length === 1 ? "" : "s"} carries ${describeTag(tag)}`;
    return { why: `${existing}${archivedNote}` };
  }
  const notices =
    tagged.length > 1
      ? [
          `${tagged.length} versions carry ${describeTag(tag)} (${tagged.map((v) => v.version).join(", ")}); the newest, version ${tagged[0].version}, is the champion.`,
        ]
      : [];
  return { champion: { version: tagged[0], chosenAs: `the newest version carrying ${describeTag(tag)}`, notices } };
}
